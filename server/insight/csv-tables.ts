// CSV export of every analytics table: the same numbers the API answers, flattened to rows.
// Cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with ' so an
// error message from an agent cannot become a formula on an operator's machine.
import type { AnalyticsCapacity, AnalyticsErrors, AnalyticsRecommendations, AnalyticsSummary, CsvTable, StatView } from "@/lib/api/insight";

export interface CsvSheet {
  name: string;
  header: string[];
  rows: unknown[][];
}

function cell(v: unknown): string {
  if (v == null) return "";
  let s = typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/\.?0+$/, "")) : typeof v === "string" ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s) && !(typeof v === "number")) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(sheet: CsvSheet): string {
  return [sheet.header, ...sheet.rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());
const STAT_COLUMNS: (keyof StatView)[] = ["submitted", "started", "finished", "succeeded", "failed", "dead", "canceled", "retries", "successRate", "throughputPerHour", "waitP50Ms", "waitP95Ms", "waitP99Ms", "runP50Ms", "runP95Ms", "runP99Ms", "busySlotHours", "availableSlotHours", "utilisation"];

export const TABLES_OF = {
  summary: ["breakdown", "series", "utilisation", "workflows", "bottlenecks"],
  errors: ["errors"],
  capacity: ["forecast"],
  recommendations: ["recommendations", "bottlenecks"],
} as const satisfies Record<string, readonly CsvTable[]>;

export function summarySheet(s: AnalyticsSummary, table: CsvTable): CsvSheet {
  switch (table) {
    case "series":
      return { name: `series-${s.range}`, header: ["at", "submitted", "finished", "succeeded", "failed", "successRate", "waitP50Ms", "waitP95Ms", "waitP99Ms", "runP50Ms", "runP95Ms", "utilisation", "cpuMeanPct", "memMeanMb"], rows: s.series.map((p) => [iso(p.at), p.submitted, p.finished, p.succeeded, p.failed, p.successRate, p.waitP50Ms, p.waitP95Ms, p.waitP99Ms, p.runP50Ms, p.runP95Ms, p.utilisation, p.cpuMeanPct, p.memMeanMb]) };
    case "utilisation":
      return {
        name: `utilisation-${s.range}`,
        header: ["dimension", "key", "label", "utilisation", "busySlotHours", "availableSlotHours"],
        rows: [...s.utilisation.agents.map((r) => ["agent", r.key, r.label, r.utilisation, r.busySlotHours, r.availableSlotHours]), ...s.utilisation.capabilities.map((r) => ["capability", r.key, r.label, r.utilisation, r.busySlotHours, r.availableSlotHours])],
      };
    case "workflows":
      return {
        name: `workflows-${s.range}`,
        header: ["template", "runs", "succeeded", "failed", "canceled", "durationP50Ms", "durationP95Ms", "criticalStep", "criticalShare", "criticalP50Ms"],
        rows: s.workflows.map((w) => [w.template, w.runs, w.succeeded, w.failed, w.canceled, w.durationP50Ms, w.durationP95Ms, w.criticalStep?.stepId ?? null, w.criticalStep?.share ?? null, w.criticalStep?.p50Ms ?? null]),
      };
    case "bottlenecks":
      return bottleneckSheet(s.bottlenecks, s.range);
    default:
      return {
        name: `${s.dimension}-${s.range}`,
        header: [s.dimension, "label", ...STAT_COLUMNS, ...STAT_COLUMNS.map((c) => `previous.${c}`)],
        rows: s.breakdown.map((r) => [r.key, r.label, ...STAT_COLUMNS.map((c) => r.now[c]), ...STAT_COLUMNS.map((c) => r.previous[c])]),
      };
  }
}

function bottleneckSheet(list: AnalyticsSummary["bottlenecks"], range: string): CsvSheet {
  return { name: `bottlenecks-${range}`, header: ["kind", "dimension", "key", "title", "score", "evidence"], rows: list.map((b) => [b.kind, b.subject.dim, b.subject.key, b.title, b.score, b.evidence.join("; ")]) };
}

export function errorsSheet(e: AnalyticsErrors): CsvSheet {
  return {
    name: `errors-${e.range}`,
    header: ["id", "title", "status", "countInRange", "count", "firstSeen", "lastSeen", "reopenedAt", "topAgent", "topCapability", "topTemplate", "likelyCauses"],
    rows: e.groups.map((g) => [g.id, g.title, g.status, g.countInRange, g.count, iso(g.firstSeen), iso(g.lastSeen), iso(g.reopenedAt), g.affected.agents[0]?.key ?? null, g.affected.capabilities[0]?.key ?? null, g.affected.templates[0]?.key ?? null, g.causes.map((c) => c.message).join("; ")]),
  };
}

export function capacitySheet(c: AnalyticsCapacity): CsvSheet {
  return {
    name: "capacity-forecast",
    header: ["capability", "at", "forecastSubmitted", "forecastBusySlotHours", "slotsNeeded", "slotsNow", "mape", "method"],
    rows: c.capabilities.flatMap((p) => p.forecast.map((f) => [p.capability, iso(f.at), f.submitted, f.busySlotHours, f.slotsNeeded, p.slotsNow, p.mape, p.method])),
  };
}

export function recommendationsSheet(r: AnalyticsRecommendations, table: CsvTable): CsvSheet {
  if (table === "bottlenecks") return bottleneckSheet(r.bottlenecks, r.range);
  return {
    name: `recommendations-${r.range}`,
    header: ["kind", "dimension", "key", "title", "effect", "action", "score", "evidence"],
    rows: r.recommendations.map((x) => [x.kind, x.subject.dim, x.subject.key, x.title, x.effect, x.action ? JSON.stringify(x.action) : null, x.score, x.evidence.join("; ")]),
  };
}
