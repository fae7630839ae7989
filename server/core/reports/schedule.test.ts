import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LATE_GRACE_MS, MAX_CATCH_UP, cronProblem, dueRuns, nextRunAfter } from "./schedule";

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe("report schedules", () => {
  it("reads cron in its time zone, across a daylight-saving change", () => {
    // 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC in summer.
    expect(new Date(nextRunAfter("0 8 * * *", "Europe/Berlin", at("2026-12-01T00:00:00Z"))!).toISOString()).toBe("2026-12-01T07:00:00.000Z");
    expect(new Date(nextRunAfter("0 8 * * *", "Europe/Berlin", at("2026-07-01T00:00:00Z"))!).toISOString()).toBe("2026-07-01T06:00:00.000Z");
    // Mondays.
    expect(new Date(nextRunAfter("0 8 * * 1", "UTC", at("2026-12-02T09:00:00Z"))!).toISOString()).toBe("2026-12-07T08:00:00.000Z");
  });

  it("names the field of a bad expression or time zone in one sentence", () => {
    expect(cronProblem("0 8 * * 1", "UTC")).toBeNull();
    expect(cronProblem("0 99 * * *", "UTC")).toMatch(/^cron: .*hour/);
    expect(cronProblem("every day", "UTC")).toMatch(/^cron: must have five fields/);
    expect(cronProblem("0 8 * * *", "Mars/Olympus")).toMatch(/^timeZone: must be an IANA time zone/);
  });

  it("does not back-fill when a schedule is new, runs what is due, and remembers it", () => {
    const now = at("2026-12-02T08:00:30Z");
    expect(dueRuns("0 8 * * *", "UTC", null, now, "skip")).toEqual({ run: [], skipped: [], through: now });
    expect(dueRuns("0 8 * * *", "UTC", at("2026-12-01T08:00:00Z"), now, "skip")).toEqual({ run: [at("2026-12-02T08:00:00Z")], skipped: [], through: at("2026-12-02T08:00:00Z") });
    expect(dueRuns("0 8 * * *", "UTC", at("2026-12-02T08:00:00Z"), now, "skip")).toEqual({ run: [], skipped: [], through: null });
  });

  it("after downtime skips what was missed, or catches up on each missed period up to a cap", () => {
    const last = at("2026-11-20T08:00:00Z");
    const now = at("2026-12-02T08:01:00Z");
    const skip = dueRuns("0 8 * * *", "UTC", last, now, "skip");
    expect(skip.run).toEqual([at("2026-12-02T08:00:00Z")]);
    expect(skip.skipped).toHaveLength(11);
    const catchUp = dueRuns("0 8 * * *", "UTC", last, now, "catch-up");
    expect(catchUp.run).toHaveLength(MAX_CATCH_UP);
    expect(catchUp.run.at(-1)).toBe(at("2026-12-02T08:00:00Z"));
    expect(catchUp.skipped).toHaveLength(12 - MAX_CATCH_UP);
    expect(catchUp.through).toBe(at("2026-12-02T08:00:00Z"));
  });

  it("property: every instant between the last run and now is run or skipped exactly once, in order, and never one in the future", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * H }), fc.integer({ min: 0, max: 8 * 24 }), fc.constantFrom("skip", "catch-up" as const), fc.constantFrom("0 * * * *", "30 8 * * *", "0 8 * * 1", "*/15 * * * *"), (offset, hours, policy, cron) => {
        const last = at("2026-01-01T00:00:00Z") + offset;
        const now = last + hours * H;
        const d = dueRuns(cron, "Europe/Berlin", last, now, policy as "skip" | "catch-up");
        const seen = [...d.skipped, ...d.run].sort((a, b) => a - b);
        expect(new Set(seen).size).toBe(seen.length);
        for (const t of seen) expect(t > last && t <= now).toBe(true);
        for (const t of d.run) if (policy === "skip") expect(now - t).toBeLessThanOrEqual(LATE_GRACE_MS);
        expect(d.run.length).toBeLessThanOrEqual(policy === "skip" ? 1 + Math.ceil(LATE_GRACE_MS / (15 * 60_000)) : MAX_CATCH_UP);
        if (seen.length) expect(d.through).toBe(seen.at(-1));
        // Running again with what was remembered finds nothing new.
        if (d.through != null) expect(dueRuns(cron, "Europe/Berlin", d.through, now, policy as "skip").run).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
