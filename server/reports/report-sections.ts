// A fleet report as a document: headline figures with their change from the period before,
// a throughput chart, and tables. The HTML page and the PDF both render these sections, so the
// two always say the same thing. Pure; every figure comes from the report's data.
import type { FleetReport } from "@/lib/api/reports";
import { change, formatMs, formatNumber, formatRatio, formatWhen, simulatedText, type Change } from "@/lib/insight-format";

export interface Kpi {
  label: string;
  value: string;
  change: Change;
}

export interface Table {
  title: string;
  columns: string[];
  /** Right-aligned columns (figures). */
  numeric: boolean[];
  rows: string[][];
  /** Said when there are no rows. */
  empty: string;
}

export interface ReportDocument {
  title: string;
  period: string;
  generated: string;
  simulated: string | null;
  kpis: Kpi[];
  chart: { title: string; stepLabel: string; bars: { label: string; succeeded: number; failed: number }[] };
  tables: Table[];
}

const day = (at: number, tz: string) => new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: tz }).format(at);
const hour = (at: number, tz: string) => new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: tz }).format(at);

export function reportDocument(r: FleetReport): ReportDocument {
  const tz = r.timeZone;
  const { now, previous } = r.fleet;
  const kpis: Kpi[] = [
    { label: "Tasks finished", value: formatNumber(now.finished), change: change(now.finished, previous.finished, { better: "up" }) },
    { label: "Success rate", value: formatRatio(now.successRate), change: change(now.successRate, previous.successRate, { kind: "points", better: "up", format: formatRatio }) },
    { label: "Queue wait p95", value: formatMs(now.waitP95Ms), change: change(now.waitP95Ms, previous.waitP95Ms, { better: "down", format: formatMs }) },
    { label: "Queue wait p50", value: formatMs(now.waitP50Ms), change: change(now.waitP50Ms, previous.waitP50Ms, { better: "down", format: formatMs }) },
    { label: "Run time p95", value: formatMs(now.runP95Ms), change: change(now.runP95Ms, previous.runP95Ms, { better: "neither", format: formatMs }) },
    { label: "Utilisation", value: formatRatio(now.utilisation), change: change(now.utilisation, previous.utilisation, { kind: "points", better: "neither", format: formatRatio }) },
    { label: "Failed or dead", value: formatNumber(now.failed + now.dead), change: change(now.failed + now.dead, previous.failed + previous.dead, { better: "down" }) },
    { label: "Alerts fired", value: formatNumber(r.alerts.fired), change: { direction: "none", tone: "neutral", text: "", description: "" } },
  ];
  const hourly = r.stepMs < 86_400_000;
  const bars = r.series.map((p) => ({ label: hourly ? hour(p.at, tz) : day(p.at, tz), succeeded: p.succeeded, failed: p.failed }));
  const tables: Table[] = [
    {
      title: "By capability",
      columns: ["Capability", "Finished", "Success", "Wait p95", "Run p95", "Change in wait p95"],
      numeric: [false, true, true, true, true, true],
      rows: r.capabilities.map((c) => [c.key, formatNumber(c.now.finished), formatRatio(c.now.successRate), formatMs(c.now.waitP95Ms), formatMs(c.now.runP95Ms), change(c.now.waitP95Ms, c.previous.waitP95Ms, { better: "down", format: formatMs }).text]),
      empty: "No tasks in this period.",
    },
    {
      title: "Top error groups",
      columns: ["Error", "Occurrences", "Status", "First seen"],
      numeric: [false, true, false, false],
      rows: r.errors.map((e) => [e.isNew ? `${e.title} (new)` : e.title, formatNumber(e.count), e.status, formatWhen(e.firstSeen, tz)]),
      empty: "No failures in this period.",
    },
    {
      title: "Bottlenecks",
      columns: ["Finding", "Evidence"],
      numeric: [false, false],
      rows: r.bottlenecks.map((b) => [b.title, b.evidence.join("; ")]),
      empty: "No bottleneck stood out.",
    },
    {
      title: "Capacity forecast",
      columns: ["Capability", "Slots now", "Peak needed", "Short"],
      numeric: [false, true, true, false],
      rows: r.capacity.map((c) => [c.capability, formatNumber(c.slotsNow), formatNumber(c.peakSlotsNeeded), c.shortfalls.length ? c.shortfalls.join("; ") : "enough"]),
      empty: "Not enough history for a forecast yet.",
    },
    {
      title: "Alerts fired",
      columns: ["Rule", "Severity", "Times fired"],
      numeric: [false, false, true],
      rows: r.alerts.byRule.map((a) => [a.name, a.severity, formatNumber(a.fired)]),
      empty: "No alert fired.",
    },
    {
      title: "Approvals",
      columns: ["Workflow", "Gate", "Decided", "Wait p50", "Wait p95"],
      numeric: [false, false, true, true, true],
      rows: r.approvals.map((a) => [a.template, a.stepId, formatNumber(a.decided), formatMs(a.waitP50Ms), formatMs(a.waitP95Ms)]),
      empty: "No approvals in this period.",
    },
  ];
  return {
    title: r.title,
    period: `${formatWhen(r.from, tz)} – ${formatWhen(r.to, tz)} (${tz}); compared with the ${formatDurationWords(r.to - r.from)} before`,
    generated: `Generated ${formatWhen(r.generatedAt, tz)}`,
    simulated: r.simulated ? simulatedText(r.simulated, tz) : null,
    kpis,
    chart: { title: "Tasks finished", stepLabel: hourly ? "per hour" : "per day", bars },
    tables,
  };
}

function formatDurationWords(ms: number): string {
  const h = Math.round(ms / 3_600_000);
  if (h % 24 === 0) return h === 24 ? "day" : h === 168 ? "week" : `${h / 24} days`;
  return h === 1 ? "hour" : `${h} hours`;
}
