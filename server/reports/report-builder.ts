// What a fleet report says, gathered for one period from the same queries the analytics pages
// use (so a report can never disagree with /analytics for that period): throughput, success
// rate, queue wait against the period before, per capability, the top error groups, the
// bottlenecks, the capacity forecast as of the report, the alerts that fired, approval waits.
import type { FleetReport } from "@/lib/api/reports";
import type { InsightQueries } from "@/server/insight/insight-queries";
import type { AlertRepository, AlertRuleRow } from "@/server/store/ports";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TOP = { capabilities: 10, errors: 5, bottlenecks: 5, shortfalls: 3, rules: 10 };
/** Transitions read for the alerts section; a period with more is summarised from these. */
const MAX_TRANSITIONS = 5_000;

export interface ReportSources {
  insight: Pick<InsightQueries, "summary" | "errors" | "capacity">;
  alerts: Pick<AlertRepository, "history">;
  rules: () => readonly Pick<AlertRuleRow, "id" | "name" | "severity">[];
  now: () => number;
}

export interface ReportRequest {
  title: string;
  from: number;
  to: number;
  timeZone: string;
}

/** Sums series points into coarser ones: an hour per point for a day, a day per point for longer. */
function coarsen(points: { at: number; succeeded: number; failed: number }[], from: number, to: number): { stepMs: number; series: FleetReport["series"] } {
  const stepMs = to - from <= 2 * DAY ? HOUR : DAY;
  const n = Math.max(1, Math.ceil((to - from) / stepMs));
  const series = Array.from({ length: n }, (_, i) => ({ at: from + i * stepMs, succeeded: 0, failed: 0 }));
  for (const p of points) {
    const i = Math.floor((p.at - from) / stepMs);
    if (i < 0 || i >= n) continue;
    series[i].succeeded += p.succeeded;
    series[i].failed += p.failed;
  }
  return { stepMs, series };
}

export async function buildFleetReport(src: ReportSources, q: ReportRequest): Promise<FleetReport> {
  const [summary, errors, capacity, transitions] = await Promise.all([
    src.insight.summary({ from: q.from, to: q.to, dimension: "capability" }),
    src.insight.errors({ from: q.from, to: q.to, status: "all", limit: 200 }),
    src.insight.capacity({ timeZone: q.timeZone }),
    src.alerts.history({ since: q.from, until: q.to, limit: MAX_TRANSITIONS }),
  ]);
  const rules = new Map(src.rules().map((r) => [r.id, r]));
  const byRule = new Map<string, { name: string; severity: string; fired: number }>();
  let fired = 0;
  let resolved = 0;
  for (const t of transitions) {
    if (t.to === "resolved") resolved++;
    if (t.to !== "firing") continue;
    fired++;
    const r = rules.get(t.ruleId);
    const name = r?.name ?? t.labels.alertname ?? t.ruleId;
    const row = byRule.get(name) ?? { name, severity: r?.severity ?? t.labels.severity ?? "warning", fired: 0 };
    row.fired++;
    byRule.set(name, row);
  }
  const { stepMs, series } = coarsen(summary.series, summary.from, summary.to);
  return {
    title: q.title,
    from: summary.from,
    to: summary.to,
    previousFrom: summary.previousFrom,
    timeZone: q.timeZone,
    generatedAt: src.now(),
    simulated: summary.simulated,
    fleet: summary.fleet,
    series,
    stepMs,
    capabilities: summary.breakdown.slice(0, TOP.capabilities).map((b) => ({ key: b.label, now: b.now, previous: b.previous })),
    errors: errors.groups
      .filter((g) => g.countInRange > 0)
      .sort((a, b) => b.countInRange - a.countInRange)
      .slice(0, TOP.errors)
      .map((g) => ({ id: g.id, title: g.title, count: g.countInRange, status: g.status, firstSeen: g.firstSeen, isNew: g.firstSeen >= summary.from })),
    bottlenecks: summary.bottlenecks.slice(0, TOP.bottlenecks).map((b) => ({ title: b.title, evidence: b.evidence })),
    capacity: capacity.capabilities
      .filter((c) => c.forecast.length)
      .map((c) => ({ capability: c.capability, slotsNow: c.slotsNow, peakSlotsNeeded: c.peakSlotsNeeded, shortfalls: c.shortfalls.slice(0, TOP.shortfalls).map((s) => s.text) })),
    alerts: { fired, resolved, byRule: [...byRule.values()].sort((a, b) => b.fired - a.fired || a.name.localeCompare(b.name)).slice(0, TOP.rules) },
    approvals: summary.workflows.flatMap((w) =>
      w.gates.filter((g) => g.type === "approval").map((g) => ({ template: w.template, stepId: g.stepId, decided: g.passed + g.failed, waitP50Ms: g.waitP50Ms, waitP95Ms: g.waitP95Ms })),
    ),
  };
}
