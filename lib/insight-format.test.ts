import { describe, expect, test } from "vitest";
import {
  change,
  durationTicks,
  formatMemoryMb,
  formatMs,
  formatMsShort,
  formatNumber,
  formatPerHour,
  formatRatio,
  heatBand,
  heatColour,
  HEAT_BANDS,
  isErrorFilterStatus,
  isInsightRange,
  mapeText,
  simulatedText,
  stepLabel,
  timeTick,
  timeTicks,
  topCounted,
  trendPoints,
  utilisationTone,
} from "./insight-format";

const H = 3_600_000;

describe("insight formats", () => {
  test("[INSIGHT]: nothing measured reads as a dash, never as zero", () => {
    expect(formatMs(null)).toBe("—");
    expect(formatRatio(null)).toBe("—");
    expect(formatNumber(null)).toBe("—");
    expect(formatPerHour(undefined)).toBe("—");
    expect(formatMemoryMb(null)).toBe("—");
    expect(formatMs(0)).toBe("0 ms");
    expect(formatRatio(0)).toBe("0 %");
  });

  test("[INSIGHT]: durations, ratios, rates and memory", () => {
    expect(formatMs(261_363.6)).toBe("4m 21s");
    expect(formatMs(3.48)).toBe("3 ms");
    expect(formatMsShort(250)).toBe("250 ms");
    expect(formatMsShort(12_000)).toBe("12 s");
    expect(formatMsShort(5_400)).toBe("5.4 s");
    expect(formatMsShort(300_000)).toBe("5 min");
    expect(formatMsShort(5_040_000)).toBe("1.4 h");
    expect(formatRatio(0.9948)).toBe("99 %");
    expect(formatRatio(0.0395)).toBe("4 %");
    expect(formatRatio(0.0421)).toBe("4.2 %");
    expect(formatPerHour(40.291)).toBe("40.3/h");
    expect(formatNumber(12480)).toBe("12,480");
    expect(formatNumber(0.004)).toBe("<0.01");
    expect(formatMemoryMb(497.7)).toBe("498 MB");
    expect(formatMemoryMb(1843)).toBe("1.8 GB");
  });

  test("[INSIGHT]: a change is relative for counts and waits, in points for ratios, and coloured by which way is better", () => {
    const up = change(45, 40, { better: "up" });
    expect(up).toMatchObject({ direction: "up", tone: "good", text: "+13 %" });
    expect(up.description).toBe("up 13 % from 40");
    // Under 10 % a tenth shows, so a small move is not "no change".
    expect(change(40.5, 40, { better: "up" }).text).toBe("+1.3 %");
    expect(change(50_000, 40_000, { better: "down" })).toMatchObject({ direction: "up", tone: "bad", text: "+25 %" });
    expect(change(30_000, 40_000, { better: "down" })).toMatchObject({ direction: "down", tone: "good", text: "−25 %" });
    expect(change(0.95, 0.99, { better: "up", kind: "points" })).toMatchObject({ direction: "down", tone: "bad", text: "−4 pp" });
    expect(change(0.5, 0.3, { better: "neither", kind: "points" })).toMatchObject({ direction: "up", tone: "neutral", text: "+20 pp" });
    expect(change(40.2, 40.2, { better: "up" })).toMatchObject({ direction: "same", text: "no change" });
    expect(change(40.2001, 40.2, { better: "up" })).toMatchObject({ direction: "same" });
  });

  test("[INSIGHT]: a change from nothing says new, a change to nothing says so", () => {
    expect(change(5, 0, { better: "up" })).toMatchObject({ direction: "new", text: "new" });
    expect(change(5, null, { better: "up" })).toMatchObject({ direction: "new", text: "new" });
    expect(change(0, 0, { better: "up" })).toMatchObject({ direction: "same", text: "no change" });
    expect(change(null, 12, { better: "down" })).toMatchObject({ direction: "none", text: "—" });
    // Ratios have a meaningful zero: 0 % → 50 % is +50 pp, not "new".
    expect(change(0.5, 0, { better: "up", kind: "points" })).toMatchObject({ direction: "up", text: "+50 pp" });
  });

  test("[INSIGHT]: ranges and steps", () => {
    expect(isInsightRange("7d")).toBe(true);
    expect(isInsightRange("2d")).toBe(false);
    expect(isInsightRange("toString")).toBe(false);
    expect(stepLabel(60_000)).toBe("per minute");
    expect(stepLabel(15 * 60_000)).toBe("per 15 minutes");
    expect(stepLabel(H)).toBe("per hour");
    expect(stepLabel(4 * H)).toBe("per 4 hours");
    expect(isErrorFilterStatus("all")).toBe(true);
    expect(isErrorFilterStatus("closed")).toBe(false);
  });

  test("[INSIGHT]: time ticks fall on round local times, at most as many as asked", () => {
    const from = Date.UTC(2026, 11, 1, 22, 47);
    const ticks = timeTicks(from, from + 24 * H, 6, 0);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks[0]).toBe(Date.UTC(2026, 11, 2, 0, 0));
    expect(ticks[1] - ticks[0]).toBe(6 * H);
    // An hour ahead of UTC: ticks at local midnight, i.e. 23:00 UTC.
    expect(timeTicks(from, from + 24 * H, 6, H)[0]).toBe(Date.UTC(2026, 11, 1, 23, 0));
    const hour = timeTicks(from, from + H, 6, 0);
    expect(hour[1] - hour[0]).toBe(10 * 60_000);
    expect(hour[0]).toBe(Date.UTC(2026, 11, 1, 22, 50));
    expect(timeTicks(from, from, 6, 0)).toEqual([]);
    expect(timeTick(Date.UTC(2026, 11, 1, 9, 0), 24 * H, "UTC")).toBe("09:00");
    expect(timeTick(Date.UTC(2026, 11, 1, 9, 0), 7 * 24 * H, "UTC")).toBe("Tue 09:00");
    expect(timeTick(Date.UTC(2026, 11, 1, 9, 0), 30 * 24 * H, "UTC")).toBe("1 Dec");
  });

  test("[INSIGHT]: duration axis ticks are round and reach past the largest value", () => {
    expect(durationTicks(0)).toEqual([0]);
    expect(durationTicks(17 * 60_000)).toEqual([0, 300_000, 600_000, 900_000, 1_200_000]);
    expect(durationTicks(900)).toEqual([0, 250, 500, 750, 1000]);
    const big = durationTicks(5 * 86_400_000);
    expect(big[big.length - 1]).toBeGreaterThanOrEqual(5 * 86_400_000);
    expect(big.length).toBeLessThanOrEqual(5);
  });

  test("[INSIGHT]: the simulated banner names the note and the span, without saying simulated twice", () => {
    const text = simulatedText({ from: Date.UTC(2026, 10, 17, 22, 54), to: Date.UTC(2026, 11, 1, 22, 54), note: "simulated: 14 days of a simulated fleet" }, "UTC");
    expect(text).toBe("Simulated history: 14 days of a simulated fleet, Tue 17 Nov, 22:54 – Tue 1 Dec, 22:54");
    expect(simulatedText({ from: 0, to: H, note: "demo replay" }, "UTC")).toMatch(/^Simulated history: demo replay, Thu 1 Jan, 00:00 – Thu 1 Jan, 01:00$/);
  });

  test("[INSIGHT]: the heatmap scale covers every percentage, in order, and has no colour for no samples", () => {
    expect(heatBand(null)).toBeNull();
    expect(heatColour(undefined)).toBeNull();
    expect(heatBand(Number.NaN)).toBeNull();
    expect(heatBand(0)).toBe(0);
    expect(heatBand(19.9)).toBe(0);
    expect(heatBand(20)).toBe(1);
    expect(heatBand(79.9)).toBe(3);
    expect(heatBand(80)).toBe(4);
    expect(heatBand(250)).toBe(HEAT_BANDS.length - 1);
    expect(heatBand(-3)).toBe(0);
    for (let i = 1; i < HEAT_BANDS.length; i++) expect(HEAT_BANDS[i].from).toBe(HEAT_BANDS[i - 1].to);
    expect(new Set(HEAT_BANDS.map((b) => b.colour)).size).toBe(HEAT_BANDS.length);
    expect(heatColour(50)).toBe(HEAT_BANDS[2].colour);
  });

  test("[INSIGHT]: utilisation bars, top affected, MAPE and trend lines", () => {
    expect(utilisationTone(null)).toBe("none");
    expect(utilisationTone(0.2)).toBe("spare");
    expect(utilisationTone(0.7)).toBe("high");
    expect(utilisationTone(0.9)).toBe("saturated");
    expect(topCounted([])).toBe("—");
    expect(topCounted([{ key: "b-2", count: 12 }])).toBe("b-2 (12)");
    expect(topCounted([{ key: "b-2", count: 12 }, { key: "b-1", count: 3 }, { key: "b-3", count: 1 }])).toBe("b-2 (12), b-1 (3) +1 more");
    expect(mapeText(0.18)).toBe("forecast error on the last day: 18 %");
    expect(mapeText(null)).toBe("forecast error on the last day: not enough history");
    expect(trendPoints([], 100, 20)).toBe("");
    expect(trendPoints([0, 0], 100, 20)).toBe("1.0,19.0 99.0,19.0");
    expect(trendPoints([0, 4, 2], 100, 20)).toBe("1.0,19.0 50.0,1.0 99.0,10.0");
  });
});
