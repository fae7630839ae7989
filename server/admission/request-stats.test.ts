import { describe, expect, it } from "vitest";
import { FakeClock } from "@/server/core/clock";
import { RequestStats, p95 } from "./request-stats";

describe("RequestStats", () => {
  it("aggregates per route and minute: counts, status classes, 429s, p95 and callers", () => {
    const clock = new FakeClock(10 * 60_000);
    const s = new RequestStats(clock);
    for (let i = 0; i < 95; i++) s.record("GET /api/v1/tasks", 200, 3, "alice");
    for (let i = 0; i < 5; i++) s.record("GET /api/v1/tasks", 500, 400, "alice");
    s.record("POST /api/v1/tasks", 429, 0.2, "token:ci");
    s.record("POST /api/v1/tasks", 404, 1, null);
    clock.advance(30_000);
    const snap = s.snapshot(1);
    const tasks = snap.routes.find((r) => r.route === "GET /api/v1/tasks")!;
    expect(tasks).toMatchObject({ count: 100, errors5xx: 5, errors4xx: 0, p95Ms: 5 });
    expect(snap.routes.find((r) => r.route === "POST /api/v1/tasks")).toMatchObject({ count: 2, rateLimited: 1, errors4xx: 2 });
    expect(snap.total).toMatchObject({ count: 102, errors4xx: 2, errors5xx: 5, rateLimited: 1 });
    expect(snap.total.perSecond).toBeCloseTo(102 / 30, 5);
    expect(snap.principals).toEqual([{ principal: "alice", count: 100 }, { principal: "token:ci", count: 1 }]);
  });

  it("keeps a per-minute timeline and forgets what is older than an hour", () => {
    const clock = new FakeClock(0);
    const s = new RequestStats(clock);
    s.record("a", 200, 1, null);
    clock.advance(60_000);
    s.record("a", 200, 1, null);
    s.record("a", 200, 1, null);
    expect(s.snapshot(2).timeline.map((p) => p.count)).toEqual([1, 2]);
    clock.advance(61 * 60_000);
    s.record("b", 200, 1, null);
    expect(s.snapshot(60).total.count).toBe(1);
  });

  it("bounds the number of routes: the rest count as other", () => {
    const s = new RequestStats(new FakeClock(0));
    for (let i = 0; i < 500; i++) s.record(`r${i}`, 200, 1, null);
    const snap = s.snapshot(1);
    expect(snap.routes.length).toBeLessThanOrEqual(201);
    expect(snap.routes.find((r) => r.route === "other")!.count).toBe(300);
  });

  it("p95 is the bucket bound the 95th percentile falls in", () => {
    expect(p95([0, 0, 0])).toBe(0);
    expect(p95([100, 0, 0])).toBe(1);
    expect(p95([90, 0, 10])).toBe(5);
  });
});
