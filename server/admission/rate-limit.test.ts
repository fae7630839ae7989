import { describe, expect, it } from "vitest";
import { FakeClock } from "@/server/core/clock";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter (token bucket)", () => {
  it("allows a burst, refuses the next with the wait until a token refills, and recovers", () => {
    const clock = new FakeClock(0);
    const rl = new RateLimiter({ perSecond: 2, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) expect(rl.take("k").ok).toBe(true);
    expect(rl.take("k")).toEqual({ ok: false, retryAfterMs: 500 });
    clock.advance(499);
    expect(rl.take("k").ok).toBe(false);
    clock.advance(1);
    expect(rl.take("k").ok).toBe(true);
    // Never more than the burst, however long it was idle.
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) expect(rl.take("k").ok).toBe(true);
    expect(rl.take("k").ok).toBe(false);
  });

  it("keeps keys apart, refunds, and forgets idle full buckets", () => {
    const clock = new FakeClock(0);
    const rl = new RateLimiter({ perSecond: 1, burst: 1 }, clock);
    expect(rl.take("a").ok).toBe(true);
    expect(rl.take("b").ok).toBe(true);
    expect(rl.take("a").ok).toBe(false);
    rl.refund("a");
    expect(rl.take("a").ok).toBe(true);
    clock.advance(120_000);
    rl.take("c");
    expect(rl.size).toBe(1);
  });

  it("stays bounded under a flood of distinct keys", () => {
    const rl = new RateLimiter({ perSecond: 1, burst: 5 }, new FakeClock(0), 1000);
    for (let i = 0; i < 10_000; i++) rl.take(`ip:${i}`);
    expect(rl.size).toBeLessThanOrEqual(1000);
  });
});
