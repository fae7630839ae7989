import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MAX_BACKOFF_MS, backoffDelay } from "./retry";

describe("backoffDelay", () => {
  test("[RETRY]: the first retry waits between half and all of backoffMs", () => {
    const policy = { maxAttempts: 3, backoffMs: 1000 };
    expect(backoffDelay(policy, 2, 0)).toBe(500);
    expect(backoffDelay(policy, 2, 0.5)).toBe(750);
    expect(backoffDelay(policy, 2, 0.999999)).toBe(1000);
  });

  test("[RETRY]: the base doubles with every further attempt", () => {
    const policy = { maxAttempts: 10, backoffMs: 1000 };
    expect([2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, 0))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test("[RETRY]: attempts numbered below 2 use the plain base", () => {
    expect(backoffDelay({ maxAttempts: 3, backoffMs: 400 }, 1, 0)).toBe(200);
    expect(backoffDelay({ maxAttempts: 3, backoffMs: 400 }, 0, 0)).toBe(200);
  });

  test("[RETRY]: the base is capped at MAX_BACKOFF_MS", () => {
    const policy = { maxAttempts: 100, backoffMs: 60_000 };
    expect(backoffDelay(policy, 10, 0)).toBe(MAX_BACKOFF_MS / 2);
    expect(backoffDelay(policy, 100, 0.999999)).toBe(MAX_BACKOFF_MS);
  });

  test("[RETRY]: zero backoff retries at once", () => {
    expect(backoffDelay({ maxAttempts: 100, backoffMs: 0 }, 101, 0.7)).toBe(0);
  });

  test("[RETRY]: the delay lies in [base/2, base] for any policy and random draw (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.integer({ min: 2, max: 101 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (backoffMs, nextAttempt, random) => {
          const base = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (nextAttempt - 2));
          const d = backoffDelay({ maxAttempts: 100, backoffMs }, nextAttempt, random);
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(base / 2);
          expect(d).toBeLessThanOrEqual(base);
          expect(d).toBeLessThanOrEqual(MAX_BACKOFF_MS);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("[RETRY]: for a fixed draw the delay never shrinks as attempts grow (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (backoffMs, n, r) => {
        const policy = { maxAttempts: 100, backoffMs };
        expect(backoffDelay(policy, n + 1, r)).toBeGreaterThanOrEqual(backoffDelay(policy, n, r));
      }),
      { numRuns: 300 },
    );
  });
});
