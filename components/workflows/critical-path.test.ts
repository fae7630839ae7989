import { describe, expect, it } from "vitest";
import { criticalEdges, criticalPath, stepDuration, type TimedStep } from "./critical-path";

const s = (id: string, dependsOn: string[], startedAt: number | null, finishedAt: number | null): TimedStep => ({ id, dependsOn, startedAt, finishedAt });

describe("[run view]: critical path", () => {
  it("follows the longest chain through a diamond", () => {
    const steps = [s("a", [], 0, 10), s("fast", ["a"], 10, 12), s("slow", ["a"], 10, 40), s("z", ["fast", "slow"], 40, 45)];
    expect(criticalPath(steps, 100)).toEqual(["a", "slow", "z"]);
    expect([...criticalEdges(["a", "slow", "z"])]).toEqual(["a->slow", "slow->z"]);
  });

  it("counts a running step up to now", () => {
    const steps = [s("a", [], 0, 10), s("b", ["a"], 10, 20), s("c", ["a"], 10, null)];
    expect(criticalPath(steps, 15)).toEqual(["a", "b"]);
    expect(criticalPath(steps, 50)).toEqual(["a", "c"]);
  });

  it("is empty before anything ran, and leaves off steps that never ran", () => {
    expect(criticalPath([s("a", [], null, null), s("b", ["a"], null, null)], 10)).toEqual([]);
    expect(criticalPath([s("skipped", [], null, null), s("b", ["skipped"], 5, 9)], 10)).toEqual(["b"]);
  });

  it("ignores unknown dependencies and does not loop on a cycle", () => {
    expect(criticalPath([s("a", ["ghost"], 0, 5)], 10)).toEqual(["a"]);
    expect(criticalPath([s("x", ["y"], 0, 5), s("y", ["x"], 0, 5), s("ok", [], 0, 1)], 10)).toEqual(["ok"]);
  });

  it("durations never go negative", () => {
    expect(stepDuration({ startedAt: 10, finishedAt: 5 }, 0)).toBe(0);
    expect(stepDuration({ startedAt: null, finishedAt: null }, 10)).toBe(0);
  });
});
