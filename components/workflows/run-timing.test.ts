import { describe, expect, it } from "vitest";
import { formatTick, ganttChart, ganttTicks, runElapsed, type GanttStep } from "./run-timing";

const s = (id: string, startedAt: number | null, finishedAt: number | null): GanttStep => ({ id, title: id, status: finishedAt ? "succeeded" : startedAt ? "running" : "pending", startedAt, finishedAt });

describe("[run view]: Gantt chart", () => {
  it("aligns bars to the earliest start and orders them by start", () => {
    const g = ganttChart([s("b", 1500, 2000), s("a", 1000, 1200), s("c", null, null)], 9999);
    expect(g.origin).toBe(1000);
    expect(g.span).toBe(1000);
    expect(g.notStarted).toBe(1);
    expect(g.rows.map((r) => [r.id, r.offset, r.duration])).toEqual([
      ["a", 0, 200],
      ["b", 500, 500],
    ]);
  });

  it("runs an open bar to now", () => {
    const g = ganttChart([s("a", 1000, null)], 4000);
    expect(g.rows[0]).toMatchObject({ duration: 3000, open: true });
    expect(g.span).toBe(3000);
  });

  it("is empty before anything started", () => {
    expect(ganttChart([s("a", null, null)], 5)).toEqual({ rows: [], origin: 0, span: 1, notStarted: 1 });
  });

  it("picks round tick intervals", () => {
    expect(ganttTicks(10_000)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(ganttTicks(3_600_000).length).toBeLessThanOrEqual(8);
    expect(ganttTicks(500)).toEqual([0]);
  });

  it("labels ticks briefly", () => {
    expect([0, 30_000, 60_000, 90_000, 3_600_000, 5_400_000].map(formatTick)).toEqual(["0s", "30s", "1m", "1m30s", "1h", "1h30m"]);
  });

  it("times a run up to its end or now", () => {
    expect(runElapsed({ createdAt: 100, finishedAt: 400 }, 9999)).toBe(300);
    expect(runElapsed({ createdAt: 100, finishedAt: null }, 250)).toBe(150);
  });
});
