import { describe, expect, test } from "vitest";
import type { PoolDecisionView } from "@/lib/api/pools";
import { agentAxisMax, chartDomain, drawnRows, chartSummary, chartTicks, CHART_WINDOW_MS, hasForecast, MIN_SPAN_MS, poolChartRows, tickLabel } from "./pool-chart";

const NOW = 1_700_000_000_000;
let id = 0;
const d = (secondsAgo: number, from: number, to: number, extra: Partial<PoolDecisionView> = {}): PoolDecisionView => ({
  id: ++id,
  at: NOW - secondsAgo * 1000,
  from,
  to,
  wanted: to,
  reactive: to,
  predictive: null,
  backlog: 0,
  busySlots: 0,
  forecastSlots: null,
  rule: "reactive",
  reason: "",
  text: "",
  ...extra,
});
const base = { now: NOW, min: 0, max: 3, slotsPerAgent: 1, current: 0, backlog: 0 };

describe("[POOLS] chart rows from decisions", () => {
  test("a step at each decision, from → to, in time order whatever order the API gave, ending now", () => {
    const rows = poolChartRows({ ...base, current: 3, backlog: 5, decisions: [d(10, 2, 3, { backlog: 9 }), d(60, 0, 2, { wanted: 20, backlog: 20, rule: "max" })] });
    expect(rows.map((r) => [(NOW - r.at) / 1000, r.current])).toEqual([
      [60, 0],
      [60, 2],
      [10, 3],
      [0, 3],
    ]);
    expect(rows[0]).toMatchObject({ desired: 20, backlog: 20, min: 0, max: 3, forecast: null });
    // The last point is the pool as it is now.
    expect(rows.at(-1)).toMatchObject({ at: NOW, current: 3, backlog: 5 });
  });

  test("an agent lost between decisions shows as a step of its own; steady decisions add no vertical part", () => {
    const rows = poolChartRows({ ...base, current: 2, decisions: [d(90, 0, 3), d(60, 3, 3), d(30, 2, 2)] });
    expect(rows.map((r) => r.current)).toEqual([0, 3, 3, 2, 2, 2]);
  });

  test("only the window counts, and nothing is drawn without a decision in it", () => {
    const old = d(CHART_WINDOW_MS / 1000 + 5, 0, 4);
    expect(poolChartRows({ ...base, decisions: [old] })).toEqual([]);
    expect(poolChartRows({ ...base, decisions: [old, d(5, 4, 4)] }).map((r) => r.current)).toEqual([4, 0]);
  });

  test("the forecast's slots in agents, rounded up like the autoscaler", () => {
    const rows = poolChartRows({ ...base, slotsPerAgent: 2, decisions: [d(20, 1, 1, { forecastSlots: 3 }), d(10, 1, 1, { forecastSlots: 4 })] });
    expect(rows.map((r) => r.forecast)).toEqual([2, 2, 2]);
    expect(hasForecast(rows)).toBe(true);
    expect(hasForecast(poolChartRows({ ...base, decisions: [d(5, 0, 1)] }))).toBe(false);
  });

  test("the agents axis has room for max and what happened, but a huge wish is cut at twice max", () => {
    const rows = poolChartRows({ ...base, decisions: [d(10, 0, 3, { wanted: 40 })] });
    expect(agentAxisMax(rows, 3)).toBe(6);
    expect(agentAxisMax(poolChartRows({ ...base, decisions: [d(10, 0, 2, { wanted: 2 })] }), 3)).toBe(3);
    expect(agentAxisMax([], 0)).toBe(1);
    expect(drawnRows(rows, 6).map((r) => [r.desired, r.desiredShown])).toEqual([
      [40, 6],
      [40, 6],
      [40, 6],
    ]);
  });

  test("a sentence for screen readers", () => {
    expect(chartSummary([])).toBe("No decisions in the last 30 min.");
    const rows = poolChartRows({ ...base, current: 3, decisions: [d(60, 0, 3, { backlog: 20 })] });
    expect(chartSummary(rows)).toBe("Over the last 30 min the pool had between 0 and 3 agents (min 0, max 3); the backlog peaked at 20 tasks.");
  });
});

describe("[POOLS] the chart's time axis", () => {
  test("the last 30 min, or from the first decision for a young pool, but at least 2 min", () => {
    const rows = (secondsAgo: number) => poolChartRows({ ...base, decisions: [d(secondsAgo, 0, 1)] });
    expect(chartDomain(rows(600), NOW)).toEqual([NOW - 600_000, NOW]);
    expect(chartDomain(rows(20), NOW)).toEqual([NOW - MIN_SPAN_MS, NOW]);
    expect(chartDomain([], NOW)).toEqual([NOW - CHART_WINDOW_MS, NOW]);
  });

  test("round ticks, seconds shown only when they are under a minute apart", () => {
    const t0 = Date.UTC(2025, 0, 1, 14, 0, 10);
    expect(chartTicks(t0, t0 + 120_000, 6, 0)).toEqual({ stepMs: 30_000, ticks: [20_000, 50_000, 80_000, 110_000].map((x) => t0 + x) });
    expect(chartTicks(t0, t0 + CHART_WINDOW_MS, 6, 0).stepMs).toBe(300_000);
    expect(tickLabel(Date.UTC(2025, 0, 1, 14, 5, 30), 30_000, "UTC")).toBe("14:05:30");
    expect(tickLabel(Date.UTC(2025, 0, 1, 14, 5, 0), 300_000, "UTC")).toBe("14:05");
  });
});
