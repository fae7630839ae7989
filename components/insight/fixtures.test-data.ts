// Answers shaped like the server's (checked against lib/api's schemas), for the view-model tests.
import { analyticsCapacitySchema, statSchema, type AnalyticsCapacity, type StatView } from "@/lib/api";

export function stat(over: Partial<StatView> = {}): StatView {
  return statSchema.parse({
    submitted: 100,
    started: 110,
    finished: 98,
    succeeded: 95,
    failed: 3,
    dead: 0,
    canceled: 0,
    retries: 10,
    successRate: 0.97,
    throughputPerHour: 4.1,
    waitP50Ms: 1200,
    waitP95Ms: 60_000,
    waitP99Ms: 120_000,
    waitMeanMs: 9000,
    runP50Ms: 95_000,
    runP95Ms: 420_000,
    runP99Ms: 660_000,
    runMeanMs: 130_000,
    busySlotHours: 12,
    availableSlotHours: 48,
    utilisation: 0.25,
    cpuMeanPct: 14,
    memMeanMb: 500,
    ...over,
  });
}

const H = 3_600_000;
export const NOW_HOUR = Date.UTC(2026, 11, 1, 23, 0);

/** A plan with 7 days of history, the last 24 h backtested and 168 h of forecast. */
export function plan(over: Partial<AnalyticsCapacity["capabilities"][number]> = {}): AnalyticsCapacity["capabilities"][number] {
  const history = Array.from({ length: 168 }, (_, i) => ({ at: NOW_HOUR - (168 - i) * H, submitted: i % 24, busySlotHours: (i % 24) / 10 }));
  const backtest = history.slice(-24).map((h) => ({ at: h.at, actual: h.submitted, predicted: h.submitted + 1 }));
  const forecast = Array.from({ length: 168 }, (_, i) => ({ at: NOW_HOUR + i * H, submitted: (i % 24) + 0.5, busySlotHours: (i % 24) / 10, slotsNeeded: i % 24 > 12 ? 4 : 1 }));
  return analyticsCapacitySchema.parse({
    generatedAt: NOW_HOUR,
    targetWaitMs: 60_000,
    timeZone: "UTC",
    simulated: null,
    capabilities: [
      {
        capability: "build",
        method: "Holt-Winters, weekly season",
        mape: 0.18,
        historyHours: 336,
        history,
        backtest,
        forecast,
        slotsNow: 2,
        serviceMs: 200_000,
        peakSlotsNeeded: 4,
        shortfalls: [
          { from: NOW_HOUR + 13 * H, to: NOW_HOUR + 24 * H, extra: 2, peakNeeded: 4, text: "build needs 2 more slots Wed 12–23" },
          { from: NOW_HOUR + 37 * H, to: NOW_HOUR + 48 * H, extra: 2, peakNeeded: 4, text: "build needs 2 more slots Thu 12–23" },
        ],
        ...over,
      },
    ],
  }).capabilities[0];
}
