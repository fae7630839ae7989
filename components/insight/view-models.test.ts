import { describe, expect, test } from "vitest";
import { analyticsSummarySchema, recommendationActionSchema } from "@/lib/api";
import { demandRows, shortfallsWithin, slotRows } from "./capacity-chart";
import { csvHref } from "./csv";
import { plan, NOW_HOUR, stat } from "./fixtures.test-data";
import { columnLabels, heatmapRows } from "./heatmap";
import { actionView } from "./recommendation-action";
import { BREAKDOWN_FIGURES, breakdownFigures, figureCell, KPI_FIGURES } from "./stat-columns";
import { workflowRow } from "./workflow-rows";

const H = 3_600_000;
const MIN = 60_000;

describe("insight view models", () => {
  test("[INSIGHT]: KPI cards show the server's figures with the change from the previous period", () => {
    expect(KPI_FIGURES.map((f) => f.name)).toEqual(["throughput", "success", "wait-p50", "wait-p95", "wait-p99", "run-p50"]);
    const now = stat({ throughputPerHour: 40.29, waitP95Ms: 261_363.6, successRate: 0.9948 });
    const before = stat({ throughputPerHour: 40.6, waitP95Ms: 245_000, successRate: 0.99 });
    const cells = KPI_FIGURES.map((f) => figureCell(f, now, before));
    expect(cells[0]).toMatchObject({ raw: 40.29, text: "40.3/h", previousText: "40.6/h", change: { direction: "down", tone: "bad", text: "−0.8 %" } });
    expect(cells[1]).toMatchObject({ raw: 0.9948, text: "99 %", change: { direction: "up", tone: "good", text: "+0.5 pp" } });
    expect(cells[3]).toMatchObject({ text: "4m 21s", previousText: "4m 05s", change: { direction: "up", tone: "bad", text: "+6.7 %" } });
    // Nothing waited in either period: no figure, no change.
    const idle = figureCell(KPI_FIGURES[2], stat({ waitP50Ms: null }), stat({ waitP50Ms: null }));
    expect(idle).toMatchObject({ raw: null, text: "—", previousText: "—", change: { direction: "none" } });
  });

  test("[INSIGHT]: the breakdown shows every figure of a row, utilisation in points", () => {
    const util = BREAKDOWN_FIGURES.find((f) => f.name === "utilisation")!;
    expect(figureCell(util, stat({ utilisation: 0.31 }), stat({ utilisation: 0.307 })).change.text).toBe("+0.3 pp");
    expect(BREAKDOWN_FIGURES.map((f) => figureCell(f, stat(), stat()).text)).toEqual(["100", "4.1/h", "97 %", "1.2 s", "1m 00s", "1m 35s", "25 %"]);
    // Per agent, starts instead of submissions (no agent has a task when it is submitted).
    expect(breakdownFigures("agent").map((f) => f.name)).toEqual(["started", ...BREAKDOWN_FIGURES.slice(1).map((f) => f.name)]);
    expect(breakdownFigures("capability")).toBe(BREAKDOWN_FIGURES);
  });

  test("[INSIGHT]: heatmap rows follow the agents and points, with a title for every cell and none invented", () => {
    const at = [0, 1, 2, 3].map((i) => Date.UTC(2026, 11, 1, i));
    const rows = heatmapRows({ agents: [{ key: "b-1", label: "b-1" }, { key: "b-2", label: "b-2" }], at, stepMs: H, cpu: [[10, null, 65, 90], [null, null, null, null]] }, H, "UTC");
    expect(rows.map((r) => r.cells.length)).toEqual([4, 4]);
    expect(rows[0].cells.map((c) => c.band)).toEqual([0, null, 3, 4]);
    expect(rows[0].cells[0].title).toBe("b-1, hour from Tue 1 Dec, 00:00: CPU 10 %");
    expect(rows[0].cells[1].title).toBe("b-1, hour from Tue 1 Dec, 01:00: no samples");
    expect(rows[0].cells[1].colour).toBeNull();
    expect(rows[0]).toMatchObject({ meanPct: 55, peakPct: 90 });
    expect(rows[1]).toMatchObject({ meanPct: null, peakPct: null });
  });

  test("[INSIGHT]: heatmap time labels sit on the columns holding round times and span every column", () => {
    const from = Date.UTC(2026, 11, 1, 22, 47);
    const at = Array.from({ length: 96 }, (_, i) => from + i * 15 * MIN);
    const ticks = [Date.UTC(2026, 11, 2, 0), Date.UTC(2026, 11, 2, 6), Date.UTC(2026, 11, 2, 12), Date.UTC(2026, 11, 2, 18)];
    const labels = columnLabels(at, 15 * MIN, ticks);
    expect(labels.reduce((n, l) => n + l.span, 0)).toBe(96);
    // 23:47–00:02 holds midnight.
    expect(labels[0]).toEqual({ index: 0, span: 4, at: null });
    expect(labels[1]).toEqual({ index: 4, span: 24, at: ticks[0] });
    expect(at[4] <= ticks[0] && ticks[0] < at[5]).toBe(true);
    expect(columnLabels([], MIN, ticks)).toEqual([]);
    expect(columnLabels(at.slice(0, 3), 15 * MIN, [])).toEqual([{ index: 0, span: 3, at: null }]);
  });

  test("[INSIGHT]: a workflow row adds up its gates and names its approval waits", () => {
    const summary = analyticsSummarySchema.shape.workflows.element.parse({
      template: "feature-pipeline@1",
      runs: 6,
      succeeded: 2,
      failed: 4,
      canceled: 0,
      durationP50Ms: 1_000_000,
      durationP95Ms: 5_000_000,
      criticalStep: { stepId: "plan", share: 0.6667, p50Ms: 100_000 },
      gates: [
        { stepId: "coverage", type: "check", passed: 3, failed: 1, passRate: 0.75, waitP50Ms: null, waitP95Ms: null },
        { stepId: "review", type: "approval", passed: 2, failed: 1, passRate: 0.6667, waitP50Ms: 5_000_000, waitP95Ms: 5_000_000 },
      ],
      steps: [],
    });
    const r = workflowRow(summary);
    expect(r).toMatchObject({ runs: 6, succeeded: 2, durationP50: "16m 40s", durationP95: "1h 23m", critical: { stepId: "plan", share: "67 %", p50: "1m 40s" }, approvalWait: "1h 23m" });
    expect(r.successRate).toBeCloseTo(2 / 6);
    expect(r.gatePassRate).toBeCloseTo(5 / 7);
    expect(r.gates.map((g) => [g.stepId, g.passRate, g.decided, g.waitP50])).toEqual([
      ["coverage", "75 %", 4, null],
      ["review", "67 %", 3, "1h 23m"],
    ]);
    const none = workflowRow({ ...summary, runs: 0, succeeded: 0, gates: [], criticalStep: null, durationP50Ms: null });
    expect(none).toMatchObject({ successRate: null, gatePassRate: null, approvalWait: "—", critical: null, durationP50: "—" });
  });

  test("[INSIGHT]: capacity charts look back as far as they look ahead, with the backtest over the last day", () => {
    const p = plan();
    const day = demandRows(p, "24h");
    expect(day).toHaveLength(48);
    expect(day[0].at).toBe(NOW_HOUR - 24 * H);
    expect(day.slice(0, 24).every((r) => r.actual != null && r.predicted != null && r.forecast == null)).toBe(true);
    expect(day.slice(24).every((r) => r.actual == null && r.forecast != null)).toBe(true);
    expect(day[24]).toMatchObject({ at: NOW_HOUR, forecast: 0.5 });
    const week = demandRows(p, "7d");
    expect(week).toHaveLength(336);
    expect(week.filter((r) => r.predicted != null)).toHaveLength(24);
    expect(slotRows(p, "24h")).toHaveLength(24);
    expect(slotRows(p, "7d")[13]).toEqual({ at: NOW_HOUR + 13 * H, needed: 4, now: 2 });
  });

  test("[INSIGHT]: shortfalls beyond the horizon are counted, not shown", () => {
    expect(shortfallsWithin(plan(), "24h")).toMatchObject({ later: 1, shown: [{ text: "build needs 2 more slots Wed 12–23" }] });
    expect(shortfallsWithin(plan(), "7d").shown).toHaveLength(2);
    expect(shortfallsWithin(plan({ forecast: [] }), "24h").later).toBe(0);
  });

  test("[INSIGHT]: a drain is a button; other actions say what to change and where", () => {
    const parse = (a: unknown) => recommendationActionSchema.parse(a);
    expect(actionView(null)).toBeNull();
    expect(actionView(parse({ kind: "drain_agent", agentId: "ag_1", agentName: "builder-2" }))).toEqual({ kind: "drain", agentId: "ag_1", agentName: "builder-2", label: "Drain builder-2" });
    expect(actionView(parse({ kind: "raise_slots", agentId: "ag_1", agentName: "builder-1", from: 2, to: 3 }))).toEqual({ kind: "instruction", text: "Raise builder-1's slots from 2 to 3: restart its runner with --slots 3." });
    expect(actionView(parse({ kind: "add_capacity", capability: "gpu", slots: 1 }))).toMatchObject({ text: expect.stringContaining("Add 1 slot for gpu") });
    expect(actionView(parse({ kind: "set_strategy", capability: "test", strategy: "least-loaded" }))).toMatchObject({ text: expect.stringContaining("SWITCHBOARD_STRATEGY=least-loaded") });
  });

  test("[INSIGHT]: CSV links ask the REST route for the same query as the page", () => {
    expect(csvHref("summary", { range: "7d", dimension: "agent", table: "breakdown" })).toBe("/api/v1/analytics/summary?format=csv&range=7d&dimension=agent&table=breakdown");
    expect(csvHref("errors", { range: "24h", status: "open", search: undefined })).toBe("/api/v1/analytics/errors?format=csv&range=24h&status=open");
    expect(csvHref("capacity", { timeZone: "Europe/Berlin" })).toBe("/api/v1/analytics/capacity?format=csv&timeZone=Europe%2FBerlin");
  });
});
