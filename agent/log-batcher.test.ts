import { describe, expect, it } from "vitest";
import { LIMITS } from "../lib/protocol";
import { LogBatcher, type ProgressBatch } from "./log-batcher";

function setup(maxLines = 3) {
  const batches: ProgressBatch[] = [];
  const timers: (() => void)[] = [];
  const batcher = new LogBatcher({
    maxLines,
    emit: (b) => batches.push(b),
    setTimer: (fn) => timers.push(fn) - 1,
    clearTimer: (t) => (timers[t as number] = () => {}),
  });
  const fire = () => timers.splice(0).forEach((fn) => fn());
  return { batches, batcher, fire };
}

describe("[log batcher]", () => {
  it("flushes on the timer", () => {
    const { batches, batcher, fire } = setup();
    batcher.log("a");
    batcher.log("b", "stderr");
    expect(batches).toEqual([]);
    fire();
    expect(batches).toEqual([{ logs: [{ stream: "stdout", line: "a" }, { stream: "stderr", line: "b" }] }]);
  });

  it("flushes when the line limit is reached, keeping order", () => {
    const { batches, batcher, fire } = setup(2);
    ["1", "2", "3", "4", "5"].forEach((l) => batcher.log(l));
    fire();
    expect(batches.map((b) => b.logs.map((l) => l.line))).toEqual([["1", "2"], ["3", "4"], ["5"]]);
  });

  it("sends progress at once with the waiting lines", () => {
    const { batches, batcher } = setup();
    batcher.log("x");
    batcher.progress(150, "half");
    expect(batches).toEqual([{ logs: [{ stream: "stdout", line: "x" }], percent: 100, message: "half" }]);
  });

  it("splits lines longer than the server's limit", () => {
    const { batches, batcher } = setup(10);
    batcher.log("y".repeat(LIMITS.logLineLength + 5));
    batcher.flush();
    expect(batches[0].logs.map((l) => l.line.length)).toEqual([LIMITS.logLineLength, 5]);
  });

  it("ignores lines after stop, and can discard what waits", () => {
    const { batches, batcher, fire } = setup();
    batcher.log("kept?");
    batcher.stop({ discard: true });
    batcher.log("late");
    fire();
    expect(batches).toEqual([]);
  });
});
