// The store in memory: every repository over plain maps and arrays, for tests of the services
// and the coordinator without a database file. It passes the same conformance suite as the
// SQLite store, so what a test learns here holds there. Values are copied in and out, as a
// database would, so a caller mutating what it got back changes nothing stored.
import type { TaskState } from "@/server/core/scheduler";
import type { AuditView, IncidentKind, ResourceSample, TaskEventView, TaskLogLine, TemplateSummary, TemplateVersionView, TokenView } from "@/lib/api";
import { isTerminal } from "@/lib/api";
import type { Template } from "@/lib/workflow";
import { addCounters, emptyCounters, keyString } from "@/server/core/insight/rollup";
import { pointsOf } from "@/server/core/insight/rollup-points";
import type { AlertInstance } from "@/server/core/alerts/alert-state";
import type {
  AgentRow,
  ErrorGroupRow,
  ErrorOccurrenceRow,
  RollupRow,
  AlertRuleRow,
  ReportRow,
  ReportScheduleRow,
  PoolRow,
  PoolInstanceRow,
  PoolDecisionRow,
  AlertTransitionRow,
  SilenceRow,
  ChannelRow,
  AlertDeliveryRow,
  AuditQuery,
  AuditRecord,
  DeliveryRow,
  IncidentRow,
  MessageRow,
  RunRecord,
  SessionRecord,
  StepRecord,
  Store,
  TaskQuery,
  TokenRow,
  UserRecord,
  WriteBatch,
} from "../ports";

const copy = <T>(v: T): T => structuredClone(v);

/** Newest first by (createdAt, id), the order every task list uses. */
const newestFirst = (a: TaskState, b: TaskState) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** A page after `cursor` (the id of the previous page's last item), with the next cursor. */
function page<T>(sorted: T[], idOf: (t: T) => string | number, limit: number, cursor: string | number | undefined) {
  let start = 0;
  if (cursor !== undefined) {
    const i = sorted.findIndex((x) => idOf(x) === cursor);
    start = i < 0 ? sorted.length : i + 1;
  }
  const items = sorted.slice(start, start + limit);
  return { items, nextCursor: start + limit < sorted.length && items.length ? idOf(items[items.length - 1]) : null };
}

export interface MemoryStoreOptions {
  /** Makes `batches.write` throw for a batch this returns an error for (poison-batch tests). */
  failWrite?: (batch: WriteBatch) => Error | null;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  const tasks = new Map<string, TaskState>();
  const events: Omit<TaskEventView, "agentName">[] = [];
  const logs: (TaskLogLine & { id: number })[] = [];
  const agents = new Map<string, AgentRow & { createdAt: number }>();
  const samples: (ResourceSample & { agentId: string })[] = [];
  const tokens = new Map<string, TokenRow>();
  const users = new Map<string, UserRecord>();
  const sessions = new Map<string, SessionRecord>();
  const audit: AuditView[] = [];
  const incidents: IncidentRow[] = [];
  const templates = new Map<string, { summary: TemplateSummary; versions: TemplateVersionView[] }>();
  const runs = new Map<string, { run: RunRecord; steps: Map<string, StepRecord> }>();
  const messages = new Map<string, MessageRow>();
  const deliveries: DeliveryRow[] = [];
  const acked = new Map<string, number>();
  let auditId = 0;
  let incidentId = 0;
  const rollups = new Map<string, RollupRow>();
  const errorGroups = new Map<string, ErrorGroupRow>();
  const occurrences: ErrorOccurrenceRow[] = [];
  const workflowStats = new Map<string, { day: number; template: string; stats: unknown }>();
  const meta = new Map<string, string>();
  const alertRules = new Map<string, AlertRuleRow>();
  const alertInstances = new Map<string, AlertInstance>();
  const transitions: AlertTransitionRow[] = [];
  const silences = new Map<string, SilenceRow>();
  const channels = new Map<string, ChannelRow>();
  const alertDeliveries: AlertDeliveryRow[] = [];
  const reportSchedules = new Map<string, ReportScheduleRow>();
  const reports = new Map<string, ReportRow>();
  const pools = new Map<string, PoolRow>();
  const poolInstances = new Map<string, PoolInstanceRow>();
  const poolDecisions: PoolDecisionRow[] = [];

  return {
    tasks: {
      async get(id) {
        const t = tasks.get(id);
        return t ? copy(t) : null;
      },
      async byIdempotencyKey(key) {
        for (const t of tasks.values()) if (t.idempotencyKey === key) return copy(t);
        return null;
      },
      async find(q: TaskQuery) {
        const s = q.search;
        const all = [...tasks.values()]
          .filter((t) => (!q.status || t.status === q.status) && (!q.agentId || t.agentId === q.agentId) && (!s || t.title.includes(s) || t.id.startsWith(s)) && (q.createdFrom == null || t.createdAt >= q.createdFrom) && (q.createdTo == null || t.createdAt < q.createdTo))
          .sort(newestFirst);
        const p = page(all, (t) => t.id, q.limit, q.cursor);
        return { items: p.items.map(copy), nextCursor: p.nextCursor as string | null };
      },
      async unfinished() {
        return [...tasks.values()].filter((t) => !isTerminal(t.status)).sort((a, b) => a.createdAt - b.createdAt).map(copy);
      },
      async outcomesSince(since) {
        return [...tasks.values()]
          .filter((t) => t.finishedAt != null && t.finishedAt >= since)
          .sort((a, b) => a.finishedAt! - b.finishedAt!)
          .map((t) => ({ agentId: t.agentId, status: t.status, requirements: copy(t.requirements), startedAt: t.startedAt, finishedAt: t.finishedAt! }));
      },
      async events(taskId, limit) {
        return events.filter((e) => e.taskId === taskId).slice(0, limit).map(copy);
      },
      async logs(taskId, limit) {
        return logs
          .filter((l) => l.taskId === taskId)
          .slice(-limit)
          .map(({ id: _id, ...l }) => copy(l));
      },
      async maxIds() {
        return { event: events.reduce((m, e) => Math.max(m, e.id), 0), log: logs.reduce((m, l) => Math.max(m, l.id), 0) };
      },
    },
    agents: {
      async all() {
        return [...agents.values()].sort((a, b) => a.createdAt - b.createdAt).map(({ createdAt: _c, ...a }) => copy(a));
      },
      async samples(agentId, since) {
        return samples
          .filter((s) => s.agentId === agentId && s.at >= since)
          .sort((a, b) => a.at - b.at)
          .map(({ agentId: _a, ...s }) => s);
      },
    },
    tokens: {
      async create(t) {
        if ([...tokens.values()].some((x) => x.hash === t.hash)) throw new Error("unique constraint: token hash");
        tokens.set(t.id, copy(t));
      },
      async list(): Promise<TokenView[]> {
        return [...tokens.values()].sort((a, b) => b.createdAt - a.createdAt).map(({ hash: _h, ...t }) => copy(t));
      },
      async byHash(hash) {
        for (const t of tokens.values()) if (t.hash === hash) return copy(t);
        return null;
      },
      async revoke(id, at) {
        const t = tokens.get(id);
        if (!t) return null;
        t.revokedAt ??= at;
        const { hash: _h, ...view } = t;
        return copy(view);
      },
      async touch(id, at) {
        const t = tokens.get(id);
        if (t) t.lastUsedAt = at;
      },
    },
    users: {
      async count() {
        return users.size;
      },
      async create(u) {
        if ([...users.values()].some((x) => x.username === u.username)) throw new Error("unique constraint: username");
        users.set(u.id, copy(u));
        return copy(u);
      },
      async byName(username) {
        for (const u of users.values()) if (u.username === username) return copy(u);
        return null;
      },
      async byId(id) {
        const u = users.get(id);
        return u ? copy(u) : null;
      },
      async list() {
        return [...users.values()].sort((a, b) => a.createdAt - b.createdAt).map(copy);
      },
      async update(id, patch) {
        const u = users.get(id);
        if (!u) throw new Error(`no user ${id}`);
        Object.assign(u, patch);
        return copy(u);
      },
      async countEnabledAdmins(exceptId) {
        return [...users.values()].filter((u) => u.role === "admin" && u.disabledAt == null && u.id !== exceptId).length;
      },
    },
    sessions: {
      async create(s) {
        sessions.set(s.hash, copy(s));
      },
      async byHash(hash) {
        const s = sessions.get(hash);
        return s ? copy(s) : null;
      },
      async deleteByHash(hash) {
        sessions.delete(hash);
      },
      async deleteForUser(userId) {
        for (const [h, s] of sessions) if (s.userId === userId) sessions.delete(h);
      },
      async deleteExpired(now) {
        let n = 0;
        for (const [h, s] of sessions) if (s.expiresAt < now) (sessions.delete(h), n++);
        return n;
      },
    },
    audit: {
      async append(entries: AuditRecord[]) {
        for (const e of entries) audit.push({ id: ++auditId, ...copy(e) });
      },
      async find(q: AuditQuery) {
        const s = q.search;
        const all = audit
          .filter(
            (e) =>
              (!q.actor || e.actor === q.actor) &&
              (!q.action || e.action.includes(q.action)) &&
              (!q.outcome || e.outcome === q.outcome) &&
              (!q.cursor || e.id < q.cursor) &&
              (!q.from || e.at >= q.from) &&
              (!q.to || e.at <= q.to) &&
              (!s || e.actor.includes(s) || e.action.includes(s) || (e.target ?? "").includes(s) || e.ip.includes(s)),
          )
          .sort((a, b) => b.id - a.id);
        const items = all.slice(0, q.limit).map(copy);
        return { items, nextCursor: all.length > q.limit ? items[items.length - 1].id : null };
      },
      async prune(before) {
        const keep = audit.filter((e) => e.at >= before);
        const n = audit.length - keep.length;
        audit.splice(0, audit.length, ...keep);
        return n;
      },
    },
    incidents: {
      async find(q) {
        const all = incidents.filter((i) => (!q.kind || i.kind === q.kind) && (!q.since || i.at >= q.since) && (!q.cursor || i.id < q.cursor)).sort((a, b) => b.id - a.id);
        const items = all.slice(0, q.limit).map(copy);
        return { items, nextCursor: all.length > q.limit ? items[items.length - 1].id : null };
      },
      async countsSince(since) {
        const out: Partial<Record<IncidentKind, number>> = {};
        for (const i of incidents) if (i.at >= since) out[i.kind] = (out[i.kind] ?? 0) + 1;
        return out;
      },
      async prune(before) {
        const keep = incidents.filter((i) => i.at >= before);
        const n = incidents.length - keep.length;
        incidents.splice(0, incidents.length, ...keep);
        return n;
      },
    },
    workflows: {
      async saveTemplate(input: { template: Template; source: string; format: "yaml" | "json"; createdBy: string; builtin?: boolean }) {
        const t = templates.get(input.template.name);
        const latest = t?.versions[t.versions.length - 1];
        if (latest && JSON.stringify(latest.definition) === JSON.stringify(input.template)) return copy(latest);
        const now = Date.now();
        const version: TemplateVersionView = { name: input.template.name, version: (latest?.version ?? 0) + 1, source: input.source, definition: copy(input.template), createdAt: now, createdBy: input.createdBy };
        const summary: TemplateSummary = {
          name: input.template.name,
          description: input.template.description,
          latestVersion: version.version,
          builtin: input.builtin ?? t?.summary.builtin ?? false,
          params: copy(input.template.params),
          updatedAt: now,
        };
        templates.set(input.template.name, { summary, versions: [...(t?.versions ?? []), version] });
        return copy(version);
      },
      async findTemplates() {
        return [...templates.values()].map((t) => copy(t.summary)).sort((a, b) => a.name.localeCompare(b.name));
      },
      async getTemplate(name, version) {
        const t = templates.get(name);
        const v = t?.versions.find((x) => x.version === (version ?? t.summary.latestVersion));
        if (!t || !v) return null;
        return { template: copy(t.summary), version: copy(v), versions: [...t.versions].reverse().map((x) => ({ version: x.version, createdAt: x.createdAt, createdBy: x.createdBy })) };
      },
      async createRun(run, steps) {
        runs.set(run.id, { run: copy(run), steps: new Map(steps.map((s) => [s.id, copy(s)])) });
      },
      async saveRun(run, steps) {
        const r = runs.get(run.id);
        if (!r) throw new Error(`no run ${run.id}`);
        r.run = copy(run);
        for (const s of steps) r.steps.set(s.id, copy(s));
      },
      async getRun(id) {
        const r = runs.get(id);
        return r ? { run: copy(r.run), steps: [...r.steps.values()].sort((a, b) => a.position - b.position).map(copy) } : null;
      },
      async activeRuns() {
        return [...runs.values()].filter((r) => r.run.status === "running").map((r) => ({ run: copy(r.run), steps: [...r.steps.values()].sort((a, b) => a.position - b.position).map(copy) }));
      },
      async findRuns(q) {
        const s = q.search;
        const all = [...runs.values()]
          .filter((r) => (!q.status || r.run.status === q.status) && (!q.template || r.run.templateName === q.template) && (!s || r.run.id.startsWith(s) || r.run.templateName.includes(s) || r.run.triggeredBy.includes(s)) && (q.createdFrom == null || r.run.createdAt >= q.createdFrom) && (q.createdTo == null || r.run.createdAt < q.createdTo))
          .sort((a, b) => b.run.createdAt - a.run.createdAt || (a.run.id < b.run.id ? 1 : -1));
        const p = page(all, (r) => r.run.id, q.limit, q.cursor);
        return { items: p.items.map((r) => ({ run: copy(r.run), statuses: [...r.steps.values()].map((x) => x.status) })), nextCursor: p.nextCursor as string | null };
      },
    },
    messages: {
      async conversation(q) {
        const delivered = q.agentId ? new Set(deliveries.filter((d) => d.agentId === q.agentId).map((d) => d.messageId)) : null;
        const match = (m: MessageRow) => (q.channel ? m.toKind === "channel" && m.toValue === q.channel : m.fromAgentId === q.agentId || delivered!.has(m.id));
        const rows = [...messages.values()].filter(match).sort((a, b) => a.createdAt - b.createdAt).slice(-q.limit);
        return rows.map((m) => ({ ...copy(m), clientKey: m.clientKey ?? null, recipients: deliveries.filter((d) => d.messageId === m.id).length }));
      },
      async recentKeys(since) {
        return [...messages.values()]
          .filter((m) => m.clientKey && m.createdAt >= since)
          .map((m) => ({
            sender: m.fromAgentId ?? `operator:${m.fromName}`,
            key: m.clientKey!,
            messageId: m.id,
            threadId: m.threadId,
            recipientIds: deliveries.filter((d) => d.messageId === m.id).map((d) => d.agentId),
          }));
      },
      async mailboxes() {
        const lastSeq = new Map<string, number>();
        for (const d of deliveries) lastSeq.set(d.agentId, Math.max(lastSeq.get(d.agentId) ?? 0, d.seq));
        const unacked = deliveries
          .filter((d) => d.seq > (acked.get(d.agentId) ?? 0) && messages.has(d.messageId))
          .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : a.seq - b.seq))
          .map((d) => ({ agentId: d.agentId, seq: d.seq, message: copy(messages.get(d.messageId)!) }));
        return { lastSeq, unacked };
      },
    },
    alerts: {
      async rules() {
        return [...alertRules.values()].sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
      },
      async saveRule(r) {
        alertRules.set(r.id, copy(r));
      },
      async deleteRule(id) {
        for (const [fp, a] of alertInstances) if (a.ruleId === id) alertInstances.delete(fp);
        return alertRules.delete(id);
      },
      async instances() {
        return [...alertInstances.values()].map(copy);
      },
      async saveEvaluation(e) {
        for (const a of e.upserts) alertInstances.set(a.fingerprint, copy(a));
        for (const fp of e.removed) alertInstances.delete(fp);
        for (const t of e.transitions) transitions.push({ ...copy(t), id: transitions.length + 1 });
      },
      async history(q) {
        return transitions
          .filter((t) => (q.before == null || t.id < q.before) && (!q.fingerprint || t.fingerprint === q.fingerprint) && (q.since == null || t.at >= q.since) && (q.until == null || t.at < q.until))
          .reverse()
          .slice(0, q.limit)
          .map(copy);
      },
      async silences() {
        return [...silences.values()].sort((a, b) => b.startsAt - a.startsAt).map(copy);
      },
      async saveSilence(s) {
        silences.set(s.id, copy(s));
      },
      async channels() {
        return [...channels.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
      },
      async saveChannel(c) {
        channels.set(c.id, copy(c));
      },
      async deleteChannel(id) {
        return channels.delete(id);
      },
      async recordDelivery(d) {
        alertDeliveries.push({ ...copy(d), id: alertDeliveries.length + 1 });
      },
      async deliveries(q) {
        return alertDeliveries
          .filter((d) => !q.channelId || d.channelId === q.channelId)
          .reverse()
          .slice(0, q.limit)
          .map(copy);
      },
    },
    insight: {
      async rollups(q) {
        return pointsOf(rollups.values(), q);
      },
      async errorGroups() {
        return [...errorGroups.values()].sort((a, b) => b.lastSeen - a.lastSeen).map(copy);
      },
      async occurrences(q) {
        return occurrences
          .filter((o) => (!q.groupId || o.groupId === q.groupId) && o.at >= q.since)
          .sort((a, b) => b.at - a.at)
          .slice(0, q.limit)
          .map(copy);
      },
      async workflowStats(fromDay, toDay) {
        return [...workflowStats.values()].filter((w) => w.day >= fromDay && w.day <= toDay).map(copy);
      },
      async updateWorkflowStats(day, template, update) {
        const k = `${day}|${template}`;
        workflowStats.set(k, { day, template, stats: copy(update(copy(workflowStats.get(k)?.stats ?? null))) });
      },
      async meta(key) {
        return meta.get(key) ?? null;
      },
      async setMeta(key, value) {
        meta.set(key, value);
      },
      async prune(r, now, batch) {
        let n = 0;
        const cut = <T>(list: T[], old: (x: T) => boolean) => {
          let left = batch;
          for (let i = list.length - 1; i >= 0 && left > 0; i--) if (old(list[i])) (list.splice(i, 1), n++, left--);
        };
        const finishedBefore = (ms: number | null) => (ms == null ? new Set<string>() : new Set([...tasks.values()].filter((t) => t.finishedAt != null && t.finishedAt < now - ms).map((t) => t.id)));
        const oldLogs = finishedBefore(r.logsMs);
        cut(logs, (l) => oldLogs.has(l.taskId));
        if (r.tasksMs != null) {
          const oldTasks = finishedBefore(r.tasksMs);
          cut(events, (e) => oldTasks.has(e.taskId));
          let left = batch;
          for (const id of oldTasks) if (left-- > 0 && !events.some((e) => e.taskId === id)) (tasks.delete(id), n++);
          cut(occurrences, (o) => o.at < now - r.tasksMs!);
          for (const [id, g] of errorGroups) if (g.lastSeen < now - r.tasksMs) (errorGroups.delete(id), n++);
        }
        if (r.samplesMs != null) cut(samples, (x) => x.at < now - r.samplesMs!);
        for (const [k, row] of rollups) {
          const limit = row.granularity === "minute" ? r.minuteRollupsMs : r.rollupsMs;
          const all = r.rollupsMs;
          if ((limit != null && row.bucket < now - limit) || (all != null && row.bucket < now - all)) (rollups.delete(k), n++);
        }
        return n;
      },
    },
    reports: {
      async schedules() {
        return [...reportSchedules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
      },
      async saveSchedule(r) {
        const clash = [...reportSchedules.values()].find((x) => x.name === r.name && x.id !== r.id);
        if (clash) throw new Error(`Unique constraint failed on the fields: (name)`);
        reportSchedules.set(r.id, copy(r));
      },
      async deleteSchedule(id) {
        return reportSchedules.delete(id);
      },
      async saveReport(r) {
        reports.set(r.id, copy(r));
      },
      async reports(q) {
        return [...reports.values()]
          .filter((r) => q.before == null || r.createdAt < q.before)
          .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
          .slice(0, q.limit)
          .map(({ data: _data, ...r }) => copy(r));
      },
      async report(id) {
        const r = reports.get(id);
        return r ? copy(r) : null;
      },
      async pruneReports(before) {
        let n = 0;
        for (const [id, r] of reports) if (r.createdAt < before) n += Number(reports.delete(id));
        return n;
      },
    },
    pools: {
      async pools() {
        return [...pools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
      },
      async savePool(p) {
        if ([...pools.values()].some((x) => x.name === p.name && x.id !== p.id)) throw new Error("Unique constraint failed on the fields: (name)");
        pools.set(p.id, copy(p));
      },
      async deletePool(id) {
        for (const [n, i] of poolInstances) if (i.poolId === id) poolInstances.delete(n);
        for (let i = poolDecisions.length - 1; i >= 0; i--) if (poolDecisions[i].poolId === id) poolDecisions.splice(i, 1);
        return pools.delete(id);
      },
      async instances() {
        return [...poolInstances.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(copy);
      },
      async saveInstance(i) {
        poolInstances.set(i.name, copy(i));
      },
      async deleteInstance(name) {
        poolInstances.delete(name);
      },
      async recordDecision(d) {
        poolDecisions.push({ ...copy(d), id: poolDecisions.length ? poolDecisions[poolDecisions.length - 1].id + 1 : 1 });
      },
      async decisions(q) {
        return poolDecisions.filter((d) => d.poolId === q.poolId && (q.since == null || d.at >= q.since)).reverse().slice(0, q.limit).map(copy);
      },
      async pruneDecisions(before) {
        const n = poolDecisions.length;
        for (let i = poolDecisions.length - 1; i >= 0; i--) if (poolDecisions[i].at < before) poolDecisions.splice(i, 1);
        return n - poolDecisions.length;
      },
    },
    batches: {
      async write(b: WriteBatch) {
        const failure = opts.failWrite?.(b);
        if (failure) throw failure;
        // All or nothing, like a transaction: check the unique keys before changing anything.
        const keys = new Map<string, string>();
        for (const t of tasks.values()) if (t.idempotencyKey) keys.set(t.idempotencyKey, t.id);
        for (const t of b.tasks) {
          if (!t.idempotencyKey) continue;
          const owner = keys.get(t.idempotencyKey);
          if (owner && owner !== t.id) throw new Error(`unique constraint: idempotencyKey ${t.idempotencyKey}`);
          keys.set(t.idempotencyKey, t.id);
        }
        for (const t of b.tasks) tasks.set(t.id, copy(t));
        const now = Date.now();
        for (const a of b.agents) agents.set(a.id, { ...copy(a), createdAt: agents.get(a.id)?.createdAt ?? now });
        for (const id of b.forgottenAgents ?? []) {
          agents.delete(id);
          for (let i = samples.length - 1; i >= 0; i--) if (samples[i].agentId === id) samples.splice(i, 1);
        }
        for (const h of b.history) events.push({ id: h.id, taskId: h.taskId, at: h.at, type: h.type, attempt: h.attempt, agentId: h.agentId, message: h.message });
        for (const l of b.logs) logs.push(copy(l));
        for (const s of b.samples) samples.push({ agentId: s.agentId, at: s.at, cpu: s.cpu, memoryMb: s.memoryMb });
        for (const m of b.messages ?? []) messages.set(m.id, copy(m));
        for (const d of b.deliveries ?? []) deliveries.push(copy(d));
        for (const a of b.acks ?? []) acked.set(a.agentId, Math.max(acked.get(a.agentId) ?? 0, a.upTo));
        for (const i of b.incidents ?? []) incidents.push({ id: ++incidentId, at: i.at, kind: i.kind, agentId: i.agentId, taskId: i.taskId, message: i.message });
        for (const r of b.rollups ?? []) {
          // Stored bucket starts have minute precision, as in SQL.
          const key = { ...r.key, bucket: Math.floor(r.key.bucket / 60_000) * 60_000 };
          const k = keyString(key);
          const row = rollups.get(k) ?? { ...key, counters: emptyCounters() };
          addCounters(row.counters, r.counters);
          rollups.set(k, row);
        }
        for (const g of b.errorGroups ?? []) errorGroups.set(g.id, copy(g));
        for (const o of b.errorOccurrences ?? []) occurrences.push(copy(o));
      },
    },
    async close() {},
  };
}
