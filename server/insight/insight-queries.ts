// The analytics queries: read the rollup rows a question needs (as few and as coarse as the
// window allows, server/core/insight/analytics.ts), and hand them to the pure core for the
// numbers, the bottlenecks, the error signals, the forecasts and the recommendations.
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { Clock } from "@/server/core/clock";
import type { AgentState } from "@/server/core/scheduler";
import type { ErrorGroupRow, ErrorOccurrenceRow, RollupQuery, Store } from "@/server/store/ports";
import { mergePoints, pointsOf } from "@/server/core/insight/rollup-points";
import {
  type AnalyticsCapacity,
  type AnalyticsCapacityInput,
  type AnalyticsErrors,
  type AnalyticsErrorsInput,
  type AnalyticsRecommendations,
  type AnalyticsSummary,
  analyticsCapacityInput,
  analyticsErrorsInput,
  analyticsRecommendationsInput,
  analyticsSummaryInput,
} from "@/lib/api/insight";
import type { z } from "zod";
import { coverOf, longestBusyRun, seriesOf, statOf, sumByKey, windowBetween, windowOf, type Points, type RowLike, type Window } from "@/server/core/insight/analytics";
import { bottlenecks, recommendations, type Facts } from "@/server/core/insight/advice";
import { planCapacity, shortfallText } from "@/server/core/insight/capacity";
import { likelyCauses, trendOf } from "@/server/core/insight/errors";
import { emptyCounters, type Counters, type Dimension } from "@/server/core/insight/rollup";
import { emptyDay, mergeDays, parseDay, summarize, type TemplateSummary } from "@/server/core/insight/workflow-stats";

import type { WindowStat } from "@/server/core/alerts/conditions";

export const SIMULATED_KEY = "simulated-history";

const HOUR = 3_600_000;
/** Occurrences read per errors query for breakdowns and causes (counts and trends are exact). */
const OCCURRENCE_SAMPLE = 5_000;
/** A capability's slots this busy, point after point, make a busy run. */
const BUSY_RUN = 0.9;

type Deps = { store: Pick<Store, "insight" | "workflows">; coordinator: Coordinator; clock: Clock };

const keyOf = (dim: Dimension, key: string) => `${dim}|${key}`;

export class InsightQueries {
  constructor(private readonly deps: Deps) {}

  private get now() {
    return this.deps.clock.now();
  }

  // ---- Reading rows ------------------------------------------------------------------------

  /**
   * A rollup read: the store's rows plus the increments the coordinator has not written yet
   * (it writes them every few seconds). Busy-run reads (`minUtilisation`) take the store's
   * alone: a threshold cannot be applied to half a sum, and seconds do not make an hour busy.
   */
  private async read(q: RollupQuery): Promise<RowLike[]> {
    const stored = await this.deps.store.insight.rollups(q);
    if (q.minUtilisation != null) return stored;
    const pending = this.deps.coordinator.insight.pending({ granularity: q.granularity, dims: q.dims });
    return pending.length ? mergePoints(stored, pointsOf(pending, q), q.histograms !== false) : stored;
  }

  /** Sums per (dimension, key) over [from, to), from the coarsest rows that cover it (added up by the store). */
  private async sums(from: number, to: number, dims: readonly Dimension[], keys?: readonly string[]): Promise<Map<string, Counters>> {
    const minuteMs = this.deps.coordinator.retention.minuteRollupsMs;
    const minutesSince = minuteMs == null ? 0 : this.now - minuteMs;
    const spans = coverOf(from, to, minutesSince);
    const parts = await Promise.all(spans.map((sp) => this.read({ granularity: sp.granularity, from: sp.from, to: sp.to, dims, keys, stepMs: sp.to - sp.from })));
    return sumByKey(parts.flat());
  }

  /** Rows summed into points of `p` up to `to`, per key of `dims`, in one list per key. */
  private async points(p: Points, to: number, dims: readonly Dimension[], histograms: boolean, minUtilisation?: number): Promise<Map<string, RowLike[]>> {
    const rows = await this.read({ granularity: p.granularity, from: p.from, to, dims, stepMs: p.stepMs, histograms, minUtilisation });
    const out = new Map<string, RowLike[]>();
    for (const r of rows) groupInto(out, keyOf(r.dim, r.key), r);
    return out;
  }

  /** Per capability, the points at least BUSY_RUN busy (what longest busy runs are made of; idle hours are not read). */
  private busyPoints(w: Window) {
    return this.points(w.busy, w.to, ["capability"], false, BUSY_RUN);
  }

  private async simulated(): Promise<AnalyticsSummary["simulated"]> {
    const raw = await this.deps.store.insight.meta(SIMULATED_KEY);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { from: number; to: number; note: string };
      return typeof v.from === "number" && typeof v.to === "number" ? { from: v.from, to: v.to, note: String(v.note ?? "simulated history") } : null;
    } catch {
      return null;
    }
  }

  /** Rollups know agents by name (see FactScope.agent). */
  private label(dim: Dimension, key: string): string {
    if (dim === "agent_capability") return key.replace("/", " / ");
    return key;
  }

  // ---- Summary -----------------------------------------------------------------------------

  async summary(raw: z.input<typeof analyticsSummaryInput>): Promise<AnalyticsSummary> {
    const input = analyticsSummaryInput.parse(raw);
    const w = input.from != null && input.to != null ? windowBetween(input.from, input.to, this.now) : windowOf(input.range, this.now);
    const len = w.elapsedMs;
    const dims: Dimension[] = ["all", "capability", "agent", "agent_capability", ...(["template", "label"] as Dimension[]).filter((d) => d === input.dimension)];
    const [now, before, fleetRows, heatRows, busyRows, simulated, workflows] = await Promise.all([
      this.sums(w.from, w.to, dims),
      this.sums(w.previousFrom, w.from, ["all", input.dimension]),
      this.points({ granularity: w.granularity, from: w.from, stepMs: w.stepMs }, w.to, ["all"], true),
      this.points(w.heat, w.to, ["agent"], false),
      this.busyPoints(w),
      this.simulated(),
      this.workflowSummaries(w.from, w.to),
    ]);
    const stat = (m: Map<string, Counters>, dim: Dimension, key: string) => statOf(m.get(keyOf(dim, key)) ?? emptyCounters(), m === before ? w.from - w.previousFrom : len);
    const fleetSeries = seriesOf(fleetRows.get(keyOf("all", "*")) ?? [], w.from, w.to, w.stepMs);
    const series = fleetSeries.map((c, i) => {
      const s = statOf(c, w.stepMs);
      return {
        at: w.from + i * w.stepMs,
        submitted: c.submitted,
        finished: s.finished,
        succeeded: c.succeeded,
        failed: c.failed + c.dead,
        successRate: s.successRate,
        waitP50Ms: s.waitP50Ms,
        waitP95Ms: s.waitP95Ms,
        waitP99Ms: s.waitP99Ms,
        runP50Ms: s.runP50Ms,
        runP95Ms: s.runP95Ms,
        utilisation: s.utilisation,
        cpuMeanPct: s.cpuMeanPct,
        memMeanMb: s.memMeanMb,
      };
    });
    const keysOf = (m: Map<string, Counters>, dim: Dimension) => [...m.keys()].filter((k) => k.startsWith(`${dim}|`)).map((k) => k.slice(dim.length + 1));
    const dim = input.dimension as Dimension;
    const breakdown = [...new Set([...keysOf(now, dim), ...keysOf(before, dim)])]
      .map((key) => ({ key, label: this.label(dim, key), now: stat(now, dim, key), previous: stat(before, dim, key) }))
      .sort((a, b) => b.now.submitted + b.now.finished - (a.now.submitted + a.now.finished) || a.label.localeCompare(b.label));
    const util = (d: Dimension) =>
      keysOf(now, d)
        .map((key) => {
          const s = stat(now, d, key);
          return { key, label: this.label(d, key), utilisation: s.utilisation, busySlotHours: s.busySlotHours, availableSlotHours: s.availableSlotHours };
        })
        .filter((r) => r.availableSlotHours > 0 || r.busySlotHours > 0)
        .sort((a, b) => (b.utilisation ?? -1) - (a.utilisation ?? -1));
    // Per-agent CPU heatmap: agents that sent samples in the window, at the heatmap's coarser points.
    const heatPoints = Math.max(1, Math.ceil((w.to - w.heat.from) / w.heat.stepMs));
    const heatAgents = [...heatRows]
      .filter(([, rows]) => rows.some((r) => r.counters.samples > 0))
      .map(([k]) => ({ key: k.slice("agent|".length), label: k.slice("agent|".length) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const cpu = heatAgents.map((a) => seriesOf(heatRows.get(keyOf("agent", a.key))!, w.heat.from, w.heat.from + heatPoints * w.heat.stepMs, w.heat.stepMs, false).map((c) => (c.samples ? c.cpuSum / c.samples : null)));
    const heatAt = Array.from({ length: heatPoints }, (_, i) => w.heat.from + i * w.heat.stepMs);
    const facts = this.facts(now, busyRows, w, len, workflows, input.targetWaitMs);
    return {
      range: input.range,
      from: w.from,
      to: w.to,
      previousFrom: w.previousFrom,
      stepMs: w.stepMs,
      generatedAt: this.now,
      simulated,
      fleet: { now: stat(now, "all", "*"), previous: stat(before, "all", "*") },
      series,
      dimension: input.dimension,
      breakdown,
      utilisation: { agents: util("agent"), capabilities: util("capability") },
      resources: { agents: heatAgents, at: heatAt, stepMs: w.heat.stepMs, cpu },
      workflows,
      bottlenecks: bottlenecks(facts),
    };
  }

  /** What the bottleneck and recommendation rules look at. */
  private facts(now: Map<string, Counters>, busyRows: Map<string, RowLike[]>, w: Window, len: number, workflows: TemplateSummary[], targetWaitMs: number): Facts {
    const agents = this.deps.coordinator.agentList();
    const entries = (dim: Dimension) => [...now].filter(([k]) => k.startsWith(`${dim}|`)).map(([k, c]) => [k.slice(dim.length + 1), c] as const);
    const hasCap = (a: Readonly<AgentState>, cap: string) => cap === "(none)" || a.capabilities.some((c) => c.name === cap);
    return {
      windowHours: len / HOUR,
      targetWaitMs,
      defaultStrategy: this.deps.coordinator.defaultStrategy,
      capabilities: entries("capability").map(([cap, c]) => ({
        capability: cap,
        stat: statOf(c, len),
        agents: agents.filter((a) => hasCap(a, cap)).map((a) => ({ id: a.id, name: a.name, slots: a.slots, connected: a.connected })),
        busyRunHours: (longestBusyRun(seriesOf(busyRows.get(keyOf("capability", cap)) ?? [], w.busy.from, w.to, w.busy.stepMs, false), BUSY_RUN) * w.busy.stepMs) / HOUR,
      })),
      agentCapabilities: entries("agent_capability").map(([k, c]) => {
        const i = k.indexOf("/");
        const name = k.slice(0, i);
        return { agentId: this.deps.coordinator.agentNamed(name)?.id ?? name, agentName: name, capability: k.slice(i + 1), stat: statOf(c, len) };
      }),
      agents: entries("agent").map(([name, c]) => {
        const a = this.deps.coordinator.agentNamed(name);
        return { agentId: a?.id ?? name, agentName: name, stat: statOf(c, len), slots: a?.slots ?? 0, connected: a?.connected ?? false, draining: a?.draining ?? false };
      }),
      workflows,
    };
  }

  private async workflowSummaries(from: number, to: number): Promise<TemplateSummary[]> {
    const rows = await this.deps.store.insight.workflowStats(Math.floor(from / 86_400_000), Math.floor((to - 1) / 86_400_000));
    const byTemplate = new Map<string, ReturnType<typeof emptyDay>>();
    for (const r of rows) byTemplate.set(r.template, mergeDays(byTemplate.get(r.template) ?? emptyDay(), parseDay(r.stats)));
    return [...byTemplate].map(([t, d]) => summarize(t, d)).sort((a, b) => b.runs - a.runs || a.template.localeCompare(b.template));
  }

  // ---- Errors ------------------------------------------------------------------------------

  async errors(raw: AnalyticsErrorsInput): Promise<AnalyticsErrors> {
    const input = analyticsErrorsInput.parse(raw);
    const w = input.from != null && input.to != null ? windowBetween(input.from, input.to, this.now) : windowOf(input.range, this.now);
    const all = this.deps.coordinator.insight.errors.all();
    const search = input.search?.trim().toLowerCase();
    const listed = all.filter((g) => (input.status === "all" || g.status === input.status) && (!search || g.title.toLowerCase().includes(search) || g.id.startsWith(search)));
    const [counts, rows, sample, simulated, activity] = await Promise.all([
      this.sums(w.from, w.to, ["error"]),
      this.points({ granularity: w.granularity, from: w.from, stepMs: w.stepMs }, w.to, ["error"], false),
      this.deps.store.insight.occurrences({ since: w.from, limit: OCCURRENCE_SAMPLE }),
      this.simulated(),
      this.sums(w.from, w.to, ["agent_capability", "capability"]),
    ]);
    const byGroup = new Map<string, ErrorOccurrenceRow[]>();
    for (const o of sample) groupInto(byGroup, o.groupId, o);
    const inRange = (g: Readonly<ErrorGroupRow>) => counts.get(keyOf("error", g.id))?.failed ?? 0;
    // How much of a capability's work each agent did: 90 % of its failures on b-3 means little
    // if b-3 runs 90 % of that capability's tasks anyway (or is the only agent that can).
    const agentShareFor = (cap: string | undefined) => {
      const out = new Map<string, number>();
      const total = cap ? (activity.get(keyOf("capability", cap))?.started ?? 0) : 0;
      if (!cap || total === 0) return out;
      for (const [k, c] of activity) if (k.startsWith("agent_capability|") && k.endsWith(`/${cap}`)) out.set(k.slice(17, -cap.length - 1), c.started / total);
      return out;
    };
    const fleet = this.deps.coordinator.agentList();
    const versionShare = new Map<string, number>();
    for (const a of fleet) if (a.version) versionShare.set(a.version, (versionShare.get(a.version) ?? 0) + 1 / fleet.length);
    const templateVersions = await this.templateVersions(sample);
    const ranked = listed
      .filter((g) => inRange(g) > 0 || g.lastSeen >= w.from || input.status !== "open")
      .sort((a, b) => inRange(b) - inRange(a) || b.lastSeen - a.lastSeen)
      .slice(0, input.limit);
    const groups = ranked.map((g) => {
      const occ = byGroup.get(g.id) ?? [];
      const counted = (f: (o: ErrorOccurrenceRow) => (string | null)[]) => {
        const m = new Map<string, number>();
        for (const o of occ) for (const v of f(o)) if (v) m.set(v, (m.get(v) ?? 0) + 1);
        return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count).slice(0, 10);
      };
      const trendPoints = seriesOf(rows.get(keyOf("error", g.id)) ?? [], w.from, w.to, w.stepMs, false).map((c) => c.failed);
      return {
        id: g.id,
        title: g.title,
        sample: g.sample,
        sampleLog: g.sampleLog,
        firstSeen: g.firstSeen,
        lastSeen: g.lastSeen,
        count: g.count,
        countInRange: inRange(g),
        status: g.status,
        statusBy: g.statusBy,
        statusAt: g.statusAt,
        reopenedAt: g.reopenedAt,
        trend: trendPoints.length ? trendPoints : trendOf(occ, w.from, w.to, 24),
        affected: {
          agents: counted((o) => [o.agentName]),
          capabilities: counted((o) => [o.capability]),
          templates: counted((o) => [o.template]),
          versions: counted((o) => [o.agentVersion]),
          labels: counted((o) => o.labels),
        },
        causes: likelyCauses(occ, g.firstSeen, { agentShare: agentShareFor(counted((o) => [o.capability])[0]?.key), versionShare, templateVersions, agentVersionChanges: this.deps.coordinator.insight.agentVersionChanges }),
        recent: occ.slice(0, 5).map(({ groupId: _g, labels: _l, ...o }) => o),
      };
    });
    const totals = { open: 0, resolved: 0, ignored: 0, failuresInRange: 0 };
    for (const g of all) totals[g.status]++;
    for (const [, c] of counts) totals.failuresInRange += c.failed;
    return { range: input.range, from: w.from, to: w.to, generatedAt: this.now, simulated, groups, totals };
  }

  private async templateVersions(occ: readonly ErrorOccurrenceRow[]) {
    const names = [...new Set(occ.map((o) => o.template?.split("@")[0]).filter((n): n is string => !!n))].slice(0, 20);
    const out: { template: string; createdAt: number }[] = [];
    for (const name of names) {
      const rec = await this.deps.store.workflows.getTemplate(name);
      for (const v of rec?.versions ?? []) out.push({ template: `${name}@${v.version}`, createdAt: v.createdAt });
    }
    return out;
  }

  // ---- Recent windows (alert rules) --------------------------------------------------------

  /** Per capability (and the fleet as "*") over the last `windowMs` to the next minute: what queue-wait and failure rules look at. */
  async recent(windowMs: number): Promise<WindowStat[]> {
    const to = Math.floor(this.now / 60_000) * 60_000 + 60_000;
    const sums = await this.sums(to - windowMs, to, ["all", "capability"]);
    return [...sums].map(([k, c]) => {
      const s = statOf(c, windowMs);
      return { capability: k === keyOf("all", "*") ? "*" : k.slice("capability|".length), started: c.started, waitP95Ms: s.waitP95Ms, succeeded: c.succeeded, failed: c.failed, dead: c.dead };
    });
  }

  // ---- Capacity ----------------------------------------------------------------------------

  async capacity(raw: AnalyticsCapacityInput): Promise<AnalyticsCapacity> {
    const input = analyticsCapacityInput.parse(raw);
    const currentHour = Math.floor(this.now / HOUR) * HOUR;
    const firstHour = currentHour - input.historyDays * 24 * HOUR;
    const [rows, simulated] = await Promise.all([this.read({ granularity: "hour", from: firstHour, to: currentHour, dims: ["capability"], histograms: false }), this.simulated()]);
    const byCap = new Map<string, RowLike[]>();
    for (const r of rows) groupInto(byCap, r.key, r);
    const agents = this.deps.coordinator.agentList().filter((a) => a.connected);
    for (const a of agents) for (const c of a.capabilities) if (!byCap.has(c.name)) byCap.set(c.name, []);
    const capabilities = [...byCap].map(([cap, list]) => {
      // History from the first hour with any demand: leading empty hours are "not yet", not "none".
      const first = list.length ? Math.min(...list.map((r) => r.bucket)) : currentHour;
      const hours = Math.max(0, Math.round((currentHour - first) / HOUR));
      const points = seriesOf(list, first, first + hours * HOUR, HOUR, false).slice(0, hours);
      const total = points.reduce((acc, c) => {
        acc.ran += c.ran;
        acc.runTimeMs += c.runTimeMs;
        return acc;
      }, emptyCounters());
      const plan = planCapacity({
        capability: cap,
        firstHour: first,
        submitted: points.map((c) => c.submitted),
        busySlotHours: points.map((c) => c.busyMs / HOUR),
        serviceMs: total.ran ? total.runTimeMs / total.ran : null,
        slotsNow: agents.filter((a) => cap === "(none)" || a.capabilities.some((c) => c.name === cap)).reduce((n, a) => n + a.slots, 0),
        targetWaitMs: input.targetWaitMs,
      });
      return {
        ...plan,
        history: points.slice(-7 * 24).map((c, i, arr) => ({ at: first + (hours - arr.length + i) * HOUR, submitted: c.submitted, busySlotHours: c.busyMs / HOUR })),
        shortfalls: plan.shortfalls.map((s) => ({ ...s, text: shortfallText(cap, s, input.timeZone) })),
      };
    });
    capabilities.sort((a, b) => b.shortfalls.length - a.shortfalls.length || b.peakSlotsNeeded - a.peakSlotsNeeded || a.capability.localeCompare(b.capability));
    return { generatedAt: this.now, targetWaitMs: input.targetWaitMs, timeZone: input.timeZone, simulated, capabilities };
  }

  // ---- Recommendations ---------------------------------------------------------------------

  async recommendations(raw: z.input<typeof analyticsRecommendationsInput>): Promise<AnalyticsRecommendations> {
    const input = analyticsRecommendationsInput.parse(raw);
    const w = windowOf(input.range, this.now);
    const len = w.elapsedMs;
    const [now, busyRows, workflows, simulated] = await Promise.all([
      this.sums(w.from, w.to, ["all", "capability", "agent", "agent_capability"]),
      this.busyPoints(w),
      this.workflowSummaries(w.from, w.to),
      this.simulated(),
    ]);
    const facts = this.facts(now, busyRows, w, len, workflows, input.targetWaitMs);
    return { range: input.range, generatedAt: this.now, simulated, recommendations: recommendations(facts), bottlenecks: bottlenecks(facts) };
  }
}

/** Appends to the list under `key` (in place: grouping thousands of rows stays linear). */
function groupInto<K, V>(m: Map<K, V[]>, key: K, v: V) {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}
