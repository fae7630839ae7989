// Alerts through Prisma (both SQL stores): a few rows a minute at most (rules, instance state,
// transitions, silences, channels, delivery attempts), so no driver shortcut is needed.
import type { PrismaModels as Db } from "./client";
import type { AlertDeliveryRow, AlertRepository, AlertRuleRow, AlertTransitionRow, ChannelRow, SilenceRow } from "../ports";
import type { AlertInstance, Phase, Severity, Transition } from "@/server/core/alerts/alert-state";
import type { RuleDef, RuleKind } from "@/server/core/alerts/conditions";
import type { Matcher } from "@/lib/label-matchers";
import { withBusyRetry } from "../busy";
import { date, ms, parse } from "../row-values";

type Row<K extends keyof Db> = Db[K] extends { findMany(...a: never[]): Promise<(infer R)[]> } ? R : never;

const ruleOf = (r: Row<"alertRule">): AlertRuleRow => ({
  id: r.id,
  name: r.name,
  kind: r.kind as RuleKind,
  params: parse<RuleDef["params"]>(r.params, {} as RuleDef["params"]),
  severity: r.severity as Severity,
  labels: parse<Record<string, string>>(r.labels, {}),
  forMs: r.forMs,
  keepFiringForMs: r.keepFiringForMs,
  repeatIntervalMs: r.repeatIntervalMs,
  enabled: r.enabled,
  builtIn: r.builtIn,
  createdBy: r.createdBy,
  updatedAt: r.updatedAt.getTime(),
});

const instanceOf = (r: Row<"alertInstance">): AlertInstance => ({
  fingerprint: r.fingerprint,
  ruleId: r.ruleId,
  labels: parse<Record<string, string>>(r.labels, {}),
  phase: r.phase as Phase,
  activeAt: r.activeAt.getTime(),
  firingAt: ms(r.firingAt),
  lastTrueAt: r.lastTrueAt.getTime(),
  resolvedAt: ms(r.resolvedAt),
  value: r.value,
  summary: r.summary,
  notified: r.notified as AlertInstance["notified"],
  lastNotifiedAt: ms(r.lastNotifiedAt),
  acknowledged: r.ackBy && r.ackAt ? { by: r.ackBy, at: r.ackAt.getTime(), comment: r.ackComment ?? "" } : null,
});

const instanceData = (a: AlertInstance) => ({
  ruleId: a.ruleId,
  labels: JSON.stringify(a.labels),
  phase: a.phase,
  activeAt: new Date(a.activeAt),
  firingAt: date(a.firingAt),
  lastTrueAt: new Date(a.lastTrueAt),
  resolvedAt: date(a.resolvedAt),
  value: a.value,
  summary: a.summary,
  notified: a.notified,
  lastNotifiedAt: date(a.lastNotifiedAt),
  ackBy: a.acknowledged?.by ?? null,
  ackAt: date(a.acknowledged?.at ?? null),
  ackComment: a.acknowledged?.comment ?? null,
});

const transitionData = (t: Transition) => ({ fingerprint: t.fingerprint, ruleId: t.ruleId, labels: JSON.stringify(t.labels), fromPhase: t.from, toPhase: t.to, at: new Date(t.at), value: t.value, summary: t.summary });

export class PrismaAlerts implements AlertRepository {
  constructor(private readonly db: Db) {}

  async rules() {
    return (await this.db.alertRule.findMany({ orderBy: [{ builtIn: "desc" }, { name: "asc" }] })).map(ruleOf);
  }

  async saveRule(r: AlertRuleRow) {
    const data = { name: r.name, kind: r.kind, params: JSON.stringify(r.params), severity: r.severity, labels: JSON.stringify(r.labels), forMs: r.forMs, keepFiringForMs: r.keepFiringForMs, repeatIntervalMs: r.repeatIntervalMs, enabled: r.enabled, builtIn: r.builtIn, createdBy: r.createdBy, updatedAt: new Date(r.updatedAt) };
    await withBusyRetry("alert rule", () => this.db.alertRule.upsert({ where: { id: r.id }, create: { id: r.id, ...data }, update: data }));
  }

  async deleteRule(id: string) {
    const n = await withBusyRetry("alert rule", () =>
      this.db.$transaction(async (tx) => {
        await tx.alertInstance.deleteMany({ where: { ruleId: id } });
        return (await tx.alertRule.deleteMany({ where: { id } })).count;
      }),
    );
    return n > 0;
  }

  async instances() {
    return (await this.db.alertInstance.findMany()).map(instanceOf);
  }

  async saveEvaluation(e: { upserts: AlertInstance[]; removed: string[]; transitions: Transition[] }) {
    if (!e.upserts.length && !e.removed.length && !e.transitions.length) return;
    await withBusyRetry("alert evaluation", () =>
      this.db.$transaction([
        ...e.upserts.map((a) => this.db.alertInstance.upsert({ where: { fingerprint: a.fingerprint }, create: { fingerprint: a.fingerprint, ...instanceData(a) }, update: instanceData(a) })),
        ...(e.removed.length ? [this.db.alertInstance.deleteMany({ where: { fingerprint: { in: e.removed } } })] : []),
        ...(e.transitions.length ? [this.db.alertTransition.createMany({ data: e.transitions.map(transitionData) })] : []),
      ]),
    );
  }

  async history(q: { limit: number; before?: number; fingerprint?: string; since?: number; until?: number }): Promise<AlertTransitionRow[]> {
    const at = q.since != null || q.until != null ? { at: { ...(q.since != null ? { gte: new Date(q.since) } : {}), ...(q.until != null ? { lt: new Date(q.until) } : {}) } } : {};
    const rows = await this.db.alertTransition.findMany({
      where: { ...(q.before != null ? { id: { lt: q.before } } : {}), ...(q.fingerprint ? { fingerprint: q.fingerprint } : {}), ...at },
      orderBy: { id: "desc" },
      take: q.limit,
    });
    return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, ruleId: r.ruleId, labels: parse<Record<string, string>>(r.labels, {}), from: r.fromPhase as Transition["from"], to: r.toPhase as Transition["to"], at: r.at.getTime(), value: r.value, summary: r.summary }));
  }

  async silences(): Promise<SilenceRow[]> {
    return (await this.db.alertSilence.findMany({ orderBy: { startsAt: "desc" } })).map((r) => ({
      id: r.id,
      matchers: parse<Matcher[]>(r.matchers, []),
      startsAt: r.startsAt.getTime(),
      endsAt: r.endsAt.getTime(),
      comment: r.comment,
      createdBy: r.createdBy,
      createdAt: r.createdAt.getTime(),
    }));
  }

  async saveSilence(s: SilenceRow) {
    const data = { matchers: JSON.stringify(s.matchers), startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), comment: s.comment, createdBy: s.createdBy, createdAt: new Date(s.createdAt) };
    await withBusyRetry("silence", () => this.db.alertSilence.upsert({ where: { id: s.id }, create: { id: s.id, ...data }, update: data }));
  }

  async channels(): Promise<ChannelRow[]> {
    return (await this.db.alertChannel.findMany({ orderBy: { name: "asc" } })).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind as ChannelRow["kind"],
      config: parse<Record<string, string>>(r.config, {}),
      matchers: parse<Matcher[]>(r.matchers, []),
      minSeverity: r.minSeverity as Severity,
      groupBy: parse<string[]>(r.groupBy, []),
      enabled: r.enabled,
      createdBy: r.createdBy,
      updatedAt: r.updatedAt.getTime(),
    }));
  }

  async saveChannel(c: ChannelRow) {
    const data = { name: c.name, kind: c.kind, config: JSON.stringify(c.config), matchers: JSON.stringify(c.matchers), minSeverity: c.minSeverity, groupBy: JSON.stringify(c.groupBy), enabled: c.enabled, createdBy: c.createdBy, updatedAt: new Date(c.updatedAt) };
    await withBusyRetry("channel", () => this.db.alertChannel.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data }));
  }

  async deleteChannel(id: string) {
    return (await withBusyRetry("channel", () => this.db.alertChannel.deleteMany({ where: { id } }))).count > 0;
  }

  async recordDelivery(d: Omit<AlertDeliveryRow, "id">) {
    await withBusyRetry("delivery", () => this.db.alertDelivery.create({ data: { ...d, at: new Date(d.at) } }));
  }

  async deliveries(q: { channelId?: string; limit: number }): Promise<AlertDeliveryRow[]> {
    const rows = await this.db.alertDelivery.findMany({ where: q.channelId ? { channelId: q.channelId } : {}, orderBy: { id: "desc" }, take: q.limit });
    return rows.map((r) => ({ ...r, at: r.at.getTime() }));
  }
}
