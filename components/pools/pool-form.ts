// The New pool form: what it holds (text as typed, durations in seconds, the tolerance as a
// percentage, chips for capabilities and labels), its defaults (poolPolicySchema's), and the
// pool input it becomes. Only what cannot be sent at all (not a number) is refused here; the
// ranges and "max at least min" are the server's to say, in the one sentence every transport
// gives, which the form shows beside the field it names (see POOL_FIELD_LABELS). Pure.
import type { z } from "zod";
import type { poolInput } from "@/lib/api/pools";
import { formProblem, type FormProblem } from "@/components/alerts/form-problem";

export type PoolInputBody = z.input<typeof poolInput>;

export interface PoolFormAdvanced {
  tolerancePct: string;
  upAgents: string;
  upPercent: string;
  upPeriodS: string;
  upStabilizationS: string;
  downAgents: string;
  downPercent: string;
  downPeriodS: string;
  downStabilizationS: string;
  cooldownS: string;
  activationBacklog: string;
  drainTimeoutS: string;
}

export interface PoolForm {
  name: string;
  provider: "local" | "host" | "external";
  /** The runner's argv template, one argument per line (empty: each task's own command). */
  template: string;
  /** KEY=value, one per line, added to each agent's environment. */
  env: string;
  /** "name:level" chips. */
  capabilities: string[];
  /** "key=value" chips. */
  labels: string[];
  slots: string;
  min: string;
  max: string;
  targetBacklogPerSlot: string;
  predictive: boolean;
  leadMinutes: string;
  advanced: PoolFormAdvanced;
}

/** poolPolicySchema's and poolLaunchSchema's defaults, in the form's units. */
export const ADVANCED_DEFAULTS: PoolFormAdvanced = {
  tolerancePct: "10",
  upAgents: "4",
  upPercent: "100",
  upPeriodS: "15",
  upStabilizationS: "0",
  downAgents: "1",
  downPercent: "50",
  downPeriodS: "30",
  downStabilizationS: "120",
  cooldownS: "60",
  activationBacklog: "0",
  drainTimeoutS: "30",
};

export const emptyPoolForm = (): PoolForm => ({
  name: "",
  provider: "local",
  template: "",
  env: "",
  capabilities: [],
  labels: [],
  slots: "1",
  min: "0",
  max: "4",
  targetBacklogPerSlot: "1",
  predictive: false,
  leadMinutes: "10",
  advanced: { ...ADVANCED_DEFAULTS },
});

/** Each API field path the server may name, and the form's label for it. */
export const POOL_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "Name",
  provider: "Provider",
  "card.capabilities": "Capabilities",
  "card.labels": "Labels",
  "card.slots": "Slots per agent",
  "policy.min": "Min agents",
  "policy.max": "Max agents",
  "policy.targetBacklogPerSlot": "Target backlog per slot",
  "policy.predictive.leadMs": "Lead (minutes)",
  "policy.tolerance": "Tolerance (%)",
  "policy.up.agents": "Up: agents per step",
  "policy.up.percent": "Up: percent per step",
  "policy.up.periodMs": "Up: period (s)",
  "policy.up.stabilizationMs": "Up: stabilisation (s)",
  "policy.down.agents": "Down: agents per step",
  "policy.down.percent": "Down: percent per step",
  "policy.down.periodMs": "Down: period (s)",
  "policy.down.stabilizationMs": "Down: stabilisation (s)",
  "policy.cooldownMs": "Cooldown (s)",
  "policy.activationBacklog": "Activation backlog",
  "launch.drainTimeoutMs": "Drain timeout (s)",
  "launch.template": "Runner template",
  "launch.env": "Environment",
};

/** The fields that live in the collapsed Advanced section (open it when one of them is refused). */
export const ADVANCED_FIELDS: ReadonlySet<string> = new Set(["policy.tolerance", "policy.up.agents", "policy.up.percent", "policy.up.periodMs", "policy.up.stabilizationMs", "policy.down.agents", "policy.down.percent", "policy.down.periodMs", "policy.down.stabilizationMs", "policy.cooldownMs", "policy.activationBacklog", "launch.drainTimeoutMs"]);

export type PoolFormResult = { ok: true; value: PoolInputBody } | { ok: false; field: string; text: string };

class NotANumber extends Error {
  constructor(readonly field: string) {
    super("must be a number");
  }
}

/** "key=value" chips as a record (the chip input has checked their shape). */
export function labelsOf(chips: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of chips) {
    const i = c.indexOf("=");
    if (i > 0) out[c.slice(0, i).trim()] = c.slice(i + 1).trim();
  }
  return out;
}

/** Non-empty lines, trimmed: the template's arguments. */
export const linesOf = (text: string): string[] => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** KEY=value lines as a record (a line without "=" is sent as a key with no value, for the server to refuse by name). */
export function envOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of linesOf(text)) {
    const i = l.indexOf("=");
    out[i > 0 ? l.slice(0, i).trim() : l] = i > 0 ? l.slice(i + 1) : "";
  }
  return out;
}

export function formToPoolInput(form: PoolForm): PoolFormResult {
  const num = (field: string, text: string, scale = 1) => {
    const t = text.trim();
    const n = Number(t);
    if (t === "" || !Number.isFinite(n)) throw new NotANumber(field);
    // Seconds to milliseconds without float dust (0.1 s is 100 ms, not 100.00000000000001).
    return Math.round(n * scale * 1e6) / 1e6;
  };
  const a = form.advanced;
  try {
    const value: PoolInputBody = {
      name: form.name.trim(),
      provider: form.provider,
      card: { capabilities: [...form.capabilities], labels: labelsOf(form.labels), slots: num("card.slots", form.slots) },
      launch: { template: linesOf(form.template), env: envOf(form.env), drainTimeoutMs: num("launch.drainTimeoutMs", a.drainTimeoutS, 1000) },
      policy: {
        min: num("policy.min", form.min),
        max: num("policy.max", form.max),
        targetBacklogPerSlot: num("policy.targetBacklogPerSlot", form.targetBacklogPerSlot),
        tolerance: num("policy.tolerance", a.tolerancePct, 0.01),
        up: { agents: num("policy.up.agents", a.upAgents), percent: num("policy.up.percent", a.upPercent), periodMs: num("policy.up.periodMs", a.upPeriodS, 1000), stabilizationMs: num("policy.up.stabilizationMs", a.upStabilizationS, 1000) },
        down: { agents: num("policy.down.agents", a.downAgents), percent: num("policy.down.percent", a.downPercent), periodMs: num("policy.down.periodMs", a.downPeriodS, 1000), stabilizationMs: num("policy.down.stabilizationMs", a.downStabilizationS, 1000) },
        cooldownMs: num("policy.cooldownMs", a.cooldownS, 1000),
        activationBacklog: num("policy.activationBacklog", a.activationBacklog),
        predictive: { enabled: form.predictive, leadMs: form.predictive ? num("policy.predictive.leadMs", form.leadMinutes, 60_000) : 600_000 },
      },
      enabled: true,
    };
    if (!value.name) return { ok: false, field: "name", text: "give the pool a name" };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof NotANumber) return { ok: false, field: e.field, text: e.message };
    throw e;
  }
}

/**
 * A refused create, back on the form: the field the server named, in the form's units
 * (milliseconds as seconds or minutes, the tolerance ratio as a percentage).
 */
export function poolProblem(message: string): FormProblem {
  const p = formProblem(message, POOL_FIELD_LABELS);
  if (p.field !== "policy.tolerance") return p;
  const text = p.text.replace(/\b(0(?:\.\d+)?|1)\b/g, (n) => `${Math.round(Number(n) * 1000) / 10} %`);
  return { ...p, text, sentence: p.sentence.replace(p.text, text) };
}
