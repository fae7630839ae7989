import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { criticalPath, stepDuration, type TimedStep } from "./critical-path";

/** "id:deps:start-end" with deps comma-separated; end "" = running; start "" = not started. */
const steps = (...specs: string[]): TimedStep[] =>
  specs.map((spec) => {
    const [id, deps, time = ""] = spec.split(":");
    const [start, end] = time.split("-");
    return { id, dependsOn: deps ? deps.split(",") : [], startedAt: start ? Number(start) : null, finishedAt: end ? Number(end) : null };
  });

describe("criticalPath", () => {
  test("[CRITICAL]: follows the longest chain of durations from a root to a sink", () => {
    expect(criticalPath(steps("a::0-10", "b:a:10-15", "c:a:10-30", "d:c:30-31"), 100)).toEqual(["a", "c", "d"]);
  });

  test("[CRITICAL]: a running step counts until now, a step not started counts 0", () => {
    const s = steps("a::0-10", "slow:a:10-", "fast:a:10-20", "next:fast:");
    expect(criticalPath(s, 15)).toEqual(["a", "fast", "next"]);
    expect(criticalPath(s, 25)).toEqual(["a", "slow"]);
    expect(stepDuration({ startedAt: 10, finishedAt: null }, 25)).toBe(15);
    expect(stepDuration({ startedAt: null, finishedAt: null }, 25)).toBe(0);
  });

  test("[CRITICAL]: ties go to the step listed first", () => {
    expect(criticalPath(steps("a::0-5", "b::0-5", "c:a,b:5-6"), 10)).toEqual(["a", "c"]);
    expect(criticalPath(steps("x::0-5", "y::0-5"), 10)).toEqual(["x"]);
  });

  test("[CRITICAL]: empty input, unknown dependencies and cycles do not break it", () => {
    expect(criticalPath([], 0)).toEqual([]);
    expect(criticalPath(steps("a:ghost:0-5"), 10)).toEqual(["a"]);
    expect(criticalPath(steps("a::0-5", "b:a,c:5-9", "c:b:"), 10)).toEqual(["a"]);
  });

  test("[CRITICAL]: the path is a root-to-sink chain at least as long as any other", () => {
    const dags = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))),
        fc.array(fc.option(fc.tuple(fc.nat(50), fc.option(fc.nat(50)))), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(dags, ([deps, times]) => {
        const now = 200;
        const s: TimedStep[] = deps.map((d, i) => ({
          id: `s${i}`,
          dependsOn: d.map((j) => `s${j}`),
          startedAt: times[i] ? times[i]![0] : null,
          finishedAt: times[i] && times[i]![1] !== null ? times[i]![0] + times[i]![1]! : null,
        }));
        const byId = new Map(s.map((x) => [x.id, x]));
        const total = (p: string[]) => p.reduce((sum, id) => sum + stepDuration(byId.get(id)!, now), 0);
        const path = criticalPath(s, now);
        expect(byId.get(path[0])!.dependsOn).toEqual([]);
        expect(s.some((x) => x.dependsOn.includes(path[path.length - 1]))).toBe(false);
        for (let k = 1; k < path.length; k++) expect(byId.get(path[k])!.dependsOn).toContain(path[k - 1]);
        // Brute force: the longest chain ending at each step.
        const longest = new Map<string, number>();
        for (const x of s) longest.set(x.id, stepDuration(x, now) + Math.max(0, ...x.dependsOn.map((d) => longest.get(d)!)));
        expect(total(path)).toBe(Math.max(...longest.values()));
      }),
      { numRuns: 300 },
    );
  });
});
