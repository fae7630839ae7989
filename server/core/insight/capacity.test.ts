import { describe, expect, it } from "vitest";
import { planCapacity, shortfallText, shortfallsOf, spanText } from "./capacity";

const H = 3_600_000;
/** Monday 2026-11-30 00:00 UTC. */
const MON = Date.UTC(2026, 10, 30);

function seasonal(weeks: number, seed = 1) {
  let s = seed;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
  return Array.from({ length: weeks * 168 }, (_, i) => {
    const h = i % 24;
    const weekday = Math.floor(i / 24) % 7 < 5;
    const base = weekday && h >= 9 && h < 17 ? 60 : 6;
    return Math.max(0, base * (1 + noise()));
  });
}

describe("[CAPACITY] forecasts and slots", () => {
  it("forecasts weekday peaks from weekly history and asks for more slots at those hours only", () => {
    const submitted = seasonal(3);
    const plan = planCapacity({ capability: "typescript", firstHour: MON - 21 * 24 * H, submitted, busySlotHours: submitted.map((n) => (n * 4) / 60), serviceMs: 4 * 60_000, slotsNow: 3, targetWaitMs: 60_000 });
    expect(plan.method).toBe("Holt-Winters, weekly season");
    expect(plan.mape!).toBeLessThanOrEqual(0.15);
    expect(plan.forecast).toHaveLength(168);
    // Monday 09–17: 60 tasks/h × 4 min = 4 slots busy on average; more to keep p95 under a minute.
    const monPeak = plan.forecast.filter((f) => f.at >= MON + 10 * H && f.at < MON + 16 * H);
    expect(Math.min(...monPeak.map((f) => f.slotsNeeded))).toBeGreaterThanOrEqual(5);
    const night = plan.forecast.filter((f) => f.at >= MON + 1 * H && f.at < MON + 5 * H);
    expect(Math.max(...night.map((f) => f.slotsNeeded))).toBeLessThanOrEqual(3);
    const monday = plan.shortfalls.find((s) => s.from >= MON && s.from < MON + 24 * H)!;
    expect(monday.extra).toBeGreaterThanOrEqual(2);
    expect(shortfallText("typescript", monday)).toMatch(/^typescript needs \d+ more slots Mon (08|09|10)–(16|17|18)$/);
    // Weekend: no shortfall.
    expect(plan.shortfalls.some((s) => s.from >= MON + 5 * 24 * H && s.to <= MON + 7 * 24 * H)).toBe(false);
  });

  it("merges neighbouring hours into one span and names it in the reader's time zone", () => {
    const rows = [0, 1, 2, 4, 8].map((h) => ({ at: MON + (9 + h) * H, slotsNeeded: 5 }));
    expect(shortfallsOf(rows, 3).map((s) => [(s.from - MON) / H, (s.to - MON) / H, s.extra])).toEqual([
      [9, 14, 2],
      [17, 18, 2],
    ]);
    expect(spanText(MON + 9 * H, MON + 12 * H)).toBe("Mon 09–12");
    expect(spanText(MON + 9 * H, MON + 12 * H, "Asia/Tokyo")).toBe("Mon 18–21");
    expect(spanText(MON + 22 * H, MON + 26 * H)).toBe("Mon 22–Tue 02");
    expect(spanText(MON, MON + 3 * 24 * H)).toBe("from Mon 00:00 for 3 days");
  });

  it("with no history, needs nothing and says it cannot score itself", () => {
    const plan = planCapacity({ capability: "gpu", firstHour: MON, submitted: [], busySlotHours: [], serviceMs: null, slotsNow: 0, targetWaitMs: 60_000 });
    expect(plan.mape).toBeNull();
    expect(plan.peakSlotsNeeded).toBe(0);
    expect(plan.shortfalls).toEqual([]);
  });
});
