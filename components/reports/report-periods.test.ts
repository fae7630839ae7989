import { describe, expect, it } from "vitest";
import { dayStart, dayValue, describeCron, periodOf } from "./report-periods";

describe("report periods", () => {
  it("turns two days into the period from the first's start to the end of the second", () => {
    const now = dayStart("2026-12-10")!;
    const p = periodOf("2026-12-01", "2026-12-03", now);
    expect(p).toEqual({ from: dayStart("2026-12-01"), to: dayStart("2026-12-04") });
    expect(dayValue(dayStart("2026-12-01")!)).toBe("2026-12-01");
  });

  it("ends a period that reaches today at now, and says what is wrong with one that cannot be", () => {
    const now = dayStart("2026-12-10")! + 5 * 3_600_000;
    expect(periodOf("2026-12-09", "2026-12-10", now)).toEqual({ from: dayStart("2026-12-09"), to: now });
    expect(periodOf("", "2026-12-10", now)).toEqual({ error: "From: pick a day." });
    expect(periodOf("2026-12-11", "2026-12-12", now)).toEqual({ error: "To: must be on or after From, and not in the future." });
    expect(periodOf("2026-12-05", "2026-12-01", now)).toMatchObject({ error: expect.stringMatching(/^To: /) });
    expect(periodOf("2024-01-01", "2026-12-01", now)).toEqual({ error: "To: at most 400 days after From." });
  });

  it("says common cron expressions in words", () => {
    expect(describeCron("0 8 * * *")).toBe("every day at 08:00");
    expect(describeCron("30 7 * * 1")).toBe("Mondays at 07:30");
    expect(describeCron("0 6 * * 1-5")).toBe("weekdays at 06:00");
    expect(describeCron("*/15 * * * *")).toBe("cron */15 * * * *");
    expect(describeCron("0 25 * * *")).toBe("cron 0 25 * * *");
  });
});
