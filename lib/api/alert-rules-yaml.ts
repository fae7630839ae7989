// Alert rules as YAML, in the shape Prometheus rule files made familiar: a `rules:` list whose
// items take `for`, `keep_firing_for` and `repeat_interval` as durations ("5m", "4h"), and whose
// params take durations for their millisecond fields (`targetMs: 1m`, or `target: 1m`). Parsed
// into the API's own rule input (so the same validation applies) and written back the same way.
import { parse, stringify } from "yaml";
import type { z } from "zod";
import { formatDuration, parseDuration } from "@/lib/durations";
import { ruleInput, type RuleView } from "./alerts";

export const MAX_IMPORTED_RULES = 200;
type RuleInputOut = z.output<typeof ruleInput>;

const TOP_DURATIONS: Record<string, string> = { for: "forMs", keep_firing_for: "keepFiringForMs", keepFiringFor: "keepFiringForMs", repeat_interval: "repeatIntervalMs", repeatInterval: "repeatIntervalMs" };

/** A duration string (or a number of milliseconds) as milliseconds; anything else is left for the schema to refuse. */
const ms = (v: unknown) => (typeof v === "string" && parseDuration(v) != null ? parseDuration(v) : v);

/** A duration field that holds text which is not a duration: said in the rule file's own words. */
const badDuration = (where: string, v: unknown) => (typeof v === "string" && parseDuration(v) == null ? `${where}: must be a duration such as 5m, 90s or 4h (got ${JSON.stringify(v.slice(0, 40))})` : null);

function normalise(raw: unknown): { value: unknown; problem: string | null } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { value: raw, problem: null };
  const out: Record<string, unknown> = {};
  let problem: string | null = null;
  for (const [k, v] of Object.entries(raw)) {
    if (k in TOP_DURATIONS || k.endsWith("Ms")) problem ??= badDuration(k, v);
    if (k === "params" && typeof v === "object" && v !== null) for (const [pk, pv] of Object.entries(v)) if (pk.endsWith("Ms")) problem ??= badDuration(`params.${pk}`, pv);
    if (k in TOP_DURATIONS) out[TOP_DURATIONS[k]] = ms(v);
    else if (k.endsWith("Ms")) out[k] = ms(v);
    else if (k === "params" && typeof v === "object" && v !== null && !Array.isArray(v)) {
      const params: Record<string, unknown> = {};
      for (const [pk, pv] of Object.entries(v)) {
        // `target: 1m` is `targetMs: 60000`; a key that already ends in Ms takes a duration too.
        const durationKey = pk.endsWith("Ms") ? pk : typeof pv === "string" && parseDuration(pv) != null ? `${pk}Ms` : pk;
        params[durationKey] = durationKey.endsWith("Ms") ? ms(pv) : pv;
      }
      out.params = params;
    } else out[k] = v;
  }
  // No params at all: say which one is missing rather than that an object is.
  out.params ??= {};
  return { value: out, problem };
}

export type ParsedRules = { ok: true; rules: RuleInputOut[] } | { ok: false; message: string };

/** Rules from YAML text: `rules: [...]`, a bare list, or one rule. Every problem names where it is. */
export function parseRulesYaml(source: string): ParsedRules {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (e) {
    return { ok: false, message: `source: not YAML: ${(e as Error).message.split("\n")[0]}` };
  }
  const list = Array.isArray(doc) ? doc : typeof doc === "object" && doc !== null && "rules" in doc ? (doc as { rules: unknown }).rules : doc != null ? [doc] : [];
  if (!Array.isArray(list) || list.length === 0) return { ok: false, message: "rules: must be a list of at least one rule" };
  if (list.length > MAX_IMPORTED_RULES) return { ok: false, message: `rules: at most ${MAX_IMPORTED_RULES} rules at a time (got ${list.length})` };
  const rules: RuleInputOut[] = [];
  const names = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const n = normalise(raw);
    if (n.problem) return { ok: false, message: `rules[${i}].${n.problem}` };
    const r = ruleInput.safeParse(n.value);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = [`rules[${i}]`, ...issue.path.map(String)].join(".");
      return { ok: false, message: `${where}: ${issue.message}` };
    }
    if (names.has(r.data.name)) return { ok: false, message: `rules[${i}].name: ${r.data.name} appears twice` };
    names.add(r.data.name);
    rules.push(r.data);
  }
  return { ok: true, rules };
}

/** Rules as YAML that parseRulesYaml reads back: durations written as durations. */
export function rulesToYaml(rules: readonly RuleView[]): string {
  const items = rules.map((r) => {
    const params = Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, k.endsWith("Ms") && typeof v === "number" ? formatDuration(v) : v]));
    return {
      name: r.name,
      kind: r.kind,
      ...(Object.keys(params).length ? { params } : {}),
      severity: r.severity,
      ...(Object.keys(r.labels).length ? { labels: r.labels } : {}),
      for: formatDuration(r.forMs),
      keep_firing_for: formatDuration(r.keepFiringForMs),
      repeat_interval: formatDuration(r.repeatIntervalMs),
      enabled: r.enabled,
    };
  });
  return `# Switchboard alert rules: POST this to /api/v1/alerts/rules/import (Content-Type: application/yaml).\n${stringify({ rules: items })}`;
}
