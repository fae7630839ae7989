// Alerts: reading what fires and its history (everyone), acknowledging and silencing (operators),
// rules and channels (admins; a channel's URL and secret may be credentials). Every change is
// audited; the engine (server/alerts) owns the state.
import { z } from "zod";
import type { AlertView, ChannelView, RuleView, ackInput, alertHistoryInput, channelInput, ruleInput, silenceInput, updateChannelInput, updateRuleInput } from "@/lib/api/alerts";
import { formatMatcher, parseMatcher, type Matcher } from "@/lib/label-matchers";
import { parseRulesYaml, rulesToYaml } from "@/lib/api/alert-rules-yaml";
import type { AlertInstance } from "@/server/core/alerts/alert-state";
import type { RuleDef } from "@/server/core/alerts/conditions";
import { silenceActive } from "@/server/core/alerts/alert-state";
import type { AlertRuleRow, ChannelRow, SilenceRow } from "@/server/store/ports";
import { principalName } from "@/server/auth/principal";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import type { Caller, ServiceContext } from "./context";

const matchersOf = (texts: readonly string[]): Matcher[] => texts.map((t) => parseMatcher(t) as Matcher);

function alertView(a: AlertInstance, rule: AlertRuleRow | undefined, silencedBy: string[]): AlertView {
  return {
    fingerprint: a.fingerprint,
    ruleId: a.ruleId,
    ruleName: rule?.name ?? a.labels.alertname ?? a.ruleId,
    severity: (a.labels.severity as AlertView["severity"]) ?? rule?.severity ?? "warning",
    labels: { ...a.labels },
    phase: a.phase,
    activeAt: a.activeAt,
    firingAt: a.firingAt,
    resolvedAt: a.resolvedAt,
    value: a.value,
    summary: a.summary,
    notified: a.notified,
    lastNotifiedAt: a.lastNotifiedAt,
    acknowledged: a.acknowledged,
    silencedBy,
  };
}

const PHASE_ORDER = { firing: 0, pending: 1, resolved: 2 } as const;
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

export const list = (s: ServiceContext, caller: Caller) =>
  s.read(caller, "alerts.list", () => {
    const alerts = s.alerts
      .list()
      .map(({ alert, rule, silencedBy }) => alertView(alert, rule, silencedBy))
      .sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (b.firingAt ?? b.activeAt) - (a.firingAt ?? a.activeAt));
    return { alerts, firing: s.alerts.firingCount() };
  });

export const history = (s: ServiceContext, caller: Caller, input: z.output<typeof alertHistoryInput>) =>
  s.read(caller, "alerts.history", async () => {
    const items = await s.deps.store.alerts.history({ limit: input.limit, before: input.cursor, fingerprint: input.fingerprint });
    return { items, nextCursor: items.length === input.limit ? items[items.length - 1].id : null };
  });

export const acknowledge = (s: ServiceContext, caller: Caller, input: { id: string } & z.output<typeof ackInput>) =>
  s.mutate(caller, "alerts.acknowledge", async (p) => {
    const a = await s.alerts.acknowledge(input.id, principalName(p), input.comment);
    const row = s.alerts.list().find((x) => x.alert.fingerprint === a.fingerprint);
    return alertView(a, row?.rule, row?.silencedBy ?? []);
  }, { input, target: `alert:${input.id}` });

// ---- Rules ----

const ruleView = (r: AlertRuleRow): RuleView => ({ ...r, params: r.params as unknown as Record<string, unknown>, labels: { ...r.labels } });

export const rules = (s: ServiceContext, caller: Caller) => s.read(caller, "alerts.rules", () => ({ rules: s.alerts.ruleList().map(ruleView) }));

function ruleRow(input: z.output<typeof ruleInput>, id: string, builtIn: boolean, by: string, now: number): AlertRuleRow {
  return { id, name: input.name, kind: input.kind, params: input.params as RuleDef["params"], severity: input.severity, labels: input.labels, forMs: input.forMs, keepFiringForMs: input.keepFiringForMs, repeatIntervalMs: input.repeatIntervalMs, enabled: input.enabled, builtIn, createdBy: by, updatedAt: now };
}

export const createRule = (s: ServiceContext, caller: Caller, input: z.output<typeof ruleInput>) =>
  s.mutate(caller, "alerts.createRule", async (p) => {
    const row = ruleRow(input, newId("rule"), false, principalName(p), s.deps.clock.now());
    await s.alerts.saveRule(row);
    return ruleView(row);
  }, { input });

export const updateRule = (s: ServiceContext, caller: Caller, input: z.output<typeof updateRuleInput>) =>
  s.mutate(caller, "alerts.updateRule", async (p) => {
    const had = s.alerts.ruleList().find((r) => r.id === input.id);
    if (!had) throw new AppError("NOT_FOUND", `No alert rule ${input.id}.`);
    if (had.builtIn && had.kind !== input.kind) throw new AppError("BAD_REQUEST", `kind: a built-in rule keeps its kind (${had.kind}); make a new rule for another.`);
    const row = ruleRow(input, had.id, had.builtIn, principalName(p), s.deps.clock.now());
    await s.alerts.saveRule(row);
    return ruleView(row);
  }, { input, target: `rule:${input.id}` });

/** Rules from YAML, created or (by name) updated together: all are checked before any is saved. */
export const importRules = (s: ServiceContext, caller: Caller, input: { source: string }) =>
  s.mutate(caller, "alerts.importRules", async (p) => {
    const parsed = parseRulesYaml(input.source);
    if (!parsed.ok) throw new AppError("BAD_REQUEST", `${parsed.message}.`);
    const byName = new Map(s.alerts.ruleList().map((r) => [r.name, r]));
    for (const [i, r] of parsed.rules.entries()) {
      const had = byName.get(r.name);
      if (had?.builtIn && had.kind !== r.kind) throw new AppError("BAD_REQUEST", `rules[${i}].kind: ${had.name} is built in and keeps its kind (${had.kind}).`);
    }
    const now = s.deps.clock.now();
    const created: string[] = [];
    const updated: string[] = [];
    for (const r of parsed.rules) {
      const had = byName.get(r.name);
      await s.alerts.saveRule(ruleRow(r, had?.id ?? newId("rule"), had?.builtIn ?? false, principalName(p), now));
      (had ? updated : created).push(r.name);
    }
    return { created, updated };
  }, { input: { bytes: input.source.length }, target: null });

export const exportRules = (s: ServiceContext, caller: Caller) => s.read(caller, "alerts.exportRules", () => rulesToYaml(s.alerts.ruleList().map(ruleView)));

export const deleteRule = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "alerts.deleteRule", async () => {
    const had = s.alerts.ruleList().find((r) => r.id === input.id);
    if (had?.builtIn) throw new AppError("CONFLICT", `Rule ${had.name} is built in: disable it instead of deleting it.`);
    await s.alerts.deleteRule(input.id);
    return { ok: true as const };
  }, { input, target: `rule:${input.id}` });

// ---- Silences ----

const silenceView = (x: SilenceRow, now: number) => ({ id: x.id, matchers: x.matchers.map(formatMatcher), startsAt: x.startsAt, endsAt: x.endsAt, comment: x.comment, createdBy: x.createdBy, createdAt: x.createdAt, active: silenceActive(x, now) });

export const silences = (s: ServiceContext, caller: Caller) => s.read(caller, "alerts.silences", () => ({ silences: s.alerts.silenceList().map((x) => silenceView(x, s.deps.clock.now())) }));

export const createSilence = (s: ServiceContext, caller: Caller, input: z.output<typeof silenceInput>) =>
  s.mutate(caller, "alerts.createSilence", async (p) => {
    const now = s.deps.clock.now();
    if (input.endsAt <= now) throw new AppError("BAD_REQUEST", "endsAt: must be in the future.");
    const row: SilenceRow = { id: newId("sil"), matchers: matchersOf(input.matchers), startsAt: input.startsAt ?? now, endsAt: input.endsAt, comment: input.comment, createdBy: principalName(p), createdAt: now };
    await s.alerts.saveSilence(row);
    return silenceView(row, now);
  }, { input });

/** Ends a silence now (it stays in the list, expired, as Alertmanager keeps them). */
export const expireSilence = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "alerts.expireSilence", async () => {
    const had = s.alerts.silenceList().find((x) => x.id === input.id);
    if (!had) throw new AppError("NOT_FOUND", `No silence ${input.id}.`);
    const now = s.deps.clock.now();
    const row = { ...had, endsAt: Math.min(had.endsAt, now), startsAt: Math.min(had.startsAt, now) };
    await s.alerts.saveSilence(row);
    return silenceView(row, now);
  }, { input, target: `silence:${input.id}` });

// ---- Channels ----

const channelView = (c: ChannelRow): ChannelView => ({ id: c.id, name: c.name, kind: c.kind, url: c.config.url ?? "", to: (c.config.to ?? "").split(",").filter(Boolean), signed: !!c.config.secret, matchers: c.matchers.map(formatMatcher), minSeverity: c.minSeverity, groupBy: c.groupBy, enabled: c.enabled, createdBy: c.createdBy, updatedAt: c.updatedAt });

export const channels = (s: ServiceContext, caller: Caller) => s.read(caller, "alerts.channels", () => ({ channels: s.alerts.channelList().map(channelView) }));

/** E-mail goes through the server's relay; without one, a channel would only ever fail. */
function assertDeliverable(s: ServiceContext, input: { kind: string }) {
  if (input.kind === "email" && !s.alerts.canMail) throw new AppError("BAD_REQUEST", "kind: e-mail channels need an SMTP relay; set SWITCHBOARD_SMTP_URL on the server.");
}

function channelRow(input: z.output<typeof channelInput>, id: string, keptSecret: string | undefined, by: string, now: number): ChannelRow {
  const secret = input.secret ?? keptSecret;
  const config: Record<string, string> = input.kind === "email" ? { to: (input.to ?? []).join(",") } : { url: input.url ?? "", ...(input.kind === "webhook" && secret ? { secret } : {}) };
  return { id, name: input.name, kind: input.kind, config, matchers: matchersOf(input.matchers), minSeverity: input.minSeverity, groupBy: input.groupBy, enabled: input.enabled, createdBy: by, updatedAt: now };
}

export const createChannel = (s: ServiceContext, caller: Caller, input: z.output<typeof channelInput>) =>
  s.mutate(caller, "alerts.createChannel", async (p) => {
    assertDeliverable(s, input);
    const row = channelRow(input, newId("chan"), undefined, principalName(p), s.deps.clock.now());
    await s.alerts.saveChannel(row);
    return channelView(row);
  }, { input: { ...input, secret: input.secret ? "(set)" : undefined } });

export const updateChannel = (s: ServiceContext, caller: Caller, input: z.output<typeof updateChannelInput>) =>
  s.mutate(caller, "alerts.updateChannel", async (p) => {
    const had = s.alerts.channelList().find((c) => c.id === input.id);
    if (!had) throw new AppError("NOT_FOUND", `No channel ${input.id}.`);
    assertDeliverable(s, input);
    const row = channelRow(input, had.id, had.config.secret, principalName(p), s.deps.clock.now());
    await s.alerts.saveChannel(row);
    return channelView(row);
  }, { input: { ...input, secret: input.secret ? "(set)" : undefined }, target: `channel:${input.id}` });

export const deleteChannel = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "alerts.deleteChannel", async () => {
    await s.alerts.deleteChannel(input.id);
    return { ok: true as const };
  }, { input, target: `channel:${input.id}` });

export const testChannel = (s: ServiceContext, caller: Caller, input: { id: string }) => s.mutate(caller, "alerts.testChannel", () => s.alerts.testChannel(input.id), { input, target: `channel:${input.id}` });

export const deliveries = (s: ServiceContext, caller: Caller, input: { id: string; limit?: number }) =>
  s.read(caller, "alerts.deliveries", async () => ({ deliveries: await s.deps.store.alerts.deliveries({ channelId: input.id, limit: input.limit ?? 50 }) }));
