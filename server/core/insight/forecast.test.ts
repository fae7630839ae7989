import { describe, expect, it } from "vitest";
import { backtest, fitHoltWinters, forecast, mape, seasonFor } from "./forecast";
import { erlangB, erlangC, slotsNeeded, waitExceeds } from "./erlang";

/** A deterministic pseudo-random generator, so the noise is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Hourly demand with a working-day shape, a weekly shape (quiet weekends), a slow trend and noise. */
function synthetic(hours: number, seed: number, noise = 0.1) {
  const r = rng(seed);
  return Array.from({ length: hours }, (_, t) => {
    const hour = t % 24;
    const day = Math.floor(t / 24) % 7;
    const daily = hour >= 8 && hour < 19 ? 40 + 25 * Math.sin(((hour - 8) / 11) * Math.PI) : 8;
    const weekly = day >= 5 ? 0.35 : 1;
    const base = daily * weekly * (1 + t / (hours * 10));
    return Math.max(0, base * (1 + noise * (r() * 2 - 1)));
  });
}

describe("[FORECAST] Holt-Winters", () => {
  it("picks a weekly season with two weeks of history, a daily one with two days", () => {
    expect(seasonFor(400)).toBe(168);
    expect(seasonFor(100)).toBe(24);
    expect(seasonFor(20)).toBe(0);
  });

  it("forecasts seasonal demand with noise within 15 % MAPE (several series)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const y = synthetic(24 * 28 + 24, seed);
      const { mape: err } = backtest(y, 24);
      expect(err, `seed ${seed}`).not.toBeNull();
      expect(err!, `seed ${seed}`).toBeLessThanOrEqual(0.15);
    }
  });

  it("forecasts a week ahead within 15 % MAPE too", () => {
    const y = synthetic(24 * 35, 9);
    const train = y.slice(0, 24 * 28);
    const f = forecast(fitHoltWinters(train), 24 * 7);
    expect(mape(y.slice(24 * 28), f)!).toBeLessThanOrEqual(0.15);
  });

  it("never forecasts below zero, and a flat series stays flat", () => {
    const flat = Array.from({ length: 72 }, () => 5);
    expect(forecast(fitHoltWinters(flat), 24).every((v) => Math.abs(v - 5) < 0.5)).toBe(true);
    const falling = Array.from({ length: 60 }, (_, t) => Math.max(0, 30 - t));
    expect(forecast(fitHoltWinters(falling), 48).every((v) => v >= 0)).toBe(true);
  });
});

describe("[ERLANG] slots for a queue-wait target", () => {
  it("matches known Erlang values", () => {
    // a = 2 erlangs, c = 3: B = 0.2105, C = 0.4444 (textbook values).
    expect(erlangB(3, 2)).toBeCloseTo(0.2105, 3);
    expect(erlangC(3, 2)).toBeCloseTo(0.4444, 3);
    expect(erlangC(2, 2)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });

  it("more slots, less waiting; the answer meets its target and one fewer does not", () => {
    const perHour = 120;
    const serviceMs = 60_000; // a = 2 erlangs
    const target = 30_000;
    const c = slotsNeeded(perHour, serviceMs, target);
    const lambda = perHour / 3_600_000;
    expect(waitExceeds(c, lambda, serviceMs, target)).toBeLessThanOrEqual(0.05);
    expect(waitExceeds(c - 1, lambda, serviceMs, target)).toBeGreaterThan(0.05);
    expect(slotsNeeded(perHour * 2, serviceMs, target)).toBeGreaterThan(c);
    expect(slotsNeeded(0, serviceMs, target)).toBe(0);
  });
});
