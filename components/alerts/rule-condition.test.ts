import { describe, expect, it } from "vitest";
import { describeCondition } from "./rule-condition";

describe("rule conditions in words", () => {
  it("describes each kind from its parameters", () => {
    expect(describeCondition("queue_wait", { targetMs: 60_000, windowMs: 900_000, minTasks: 3 })).toBe("queue-wait p95 over 1 min per capability (15 min window, at least 3 tasks)");
    expect(describeCondition("queue_wait", { targetMs: 60_000, windowMs: 900_000, minTasks: 1, capability: "gpu" })).toBe("queue-wait p95 over 1 min for capability gpu (15 min window, at least 1 task)");
    expect(describeCondition("failure_rate", { threshold: 0.25, windowMs: 600_000, minTasks: 5 })).toBe("25 % or more of tasks fail per capability (10 min window, at least 5 tasks)");
    expect(describeCondition("failure_rate", { threshold: 0.125, windowMs: 3_600_000, minTasks: 5 })).toContain("12.5 % or more");
    expect(describeCondition("agents_offline", { includeStopped: false })).toBe("an agent is offline (not one its owner stopped)");
    expect(describeCondition("agents_offline", { includeStopped: true })).toBe("an agent is offline, including one its owner stopped");
    expect(describeCondition("dead_tasks", { windowMs: 900_000, min: 1 })).toBe("a task dead in the fleet (15 min window)");
    expect(describeCondition("dead_tasks", { windowMs: 900_000, min: 3 })).toBe("3 or more tasks dead in the fleet (15 min window)");
    expect(describeCondition("approval_waiting", { olderThanMs: 3_600_000 })).toBe("an approval waits longer than 1 h");
    expect(describeCondition("error_group", { windowMs: 1_800_000, kinds: ["error_group_new", "error_group_spike"] })).toBe("an error group is new or spiking (30 min window)");
    expect(describeCondition("error_group", { windowMs: 1_800_000, kinds: ["error_group_new", "error_group_reopened", "error_group_spike"] })).toBe("an error group is new, reopened or spiking (30 min window)");
    expect(describeCondition("forecast_shortage", { withinMs: 86_400_000 })).toBe("the forecast needs more agents than a capability has, within 1 day");
  });

  it("falls back to the defaults when a parameter is missing or not a number", () => {
    expect(describeCondition("queue_wait", {})).toBe("queue-wait p95 over 5 min per capability (15 min window, at least 3 tasks)");
    expect(describeCondition("failure_rate", { threshold: "x" })).toContain("25 % or more");
    expect(describeCondition("error_group", { kinds: "nope" })).toContain("new, reopened or spiking");
  });
});
