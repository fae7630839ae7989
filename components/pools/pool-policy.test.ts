import { describe, expect, test } from "vitest";
import { poolPolicySchema } from "@/lib/api/pools";
import { describePolicy } from "./pool-policy";

describe("[POOLS] the policy in words", () => {
  test("the defaults", () => {
    const p = poolPolicySchema.parse({ max: 4 });
    expect(describePolicy(p, 2)).toEqual([
      "Between 0 and 4 agents, each with 2 slots.",
      "Wants an agent for every 2 slots of demand: busy slots plus queued tasks over a target of 1 per slot; a change within 10 % is ignored.",
      "Scales up by at most 4 agents or 100 % every 15 s.",
      "Scales down by at most 1 agent or 50 % every 30 s, following the highest wish of the last 2 min, and not for 1 min after any change; only idle agents are stopped, drained first.",
      "From zero agents it wakes for the first queued task.",
      "Predictive scaling is off: it follows the backlog only.",
    ]);
  });

  test("tight timings, fixed size, activation, predictive, paused", () => {
    const p = poolPolicySchema.parse({ min: 0, max: 3, up: { agents: 1, periodMs: 1000, stabilizationMs: 5000 }, down: { periodMs: 1000, stabilizationMs: 0 }, cooldownMs: 0, activationBacklog: 5, predictive: { enabled: true, leadMs: 1_800_000 } });
    const text = describePolicy(p, 1, false);
    expect(text[0]).toBe("Paused: it stops its agents and starts none until resumed.");
    expect(text).toContain("Scales up by at most 1 agent or 100 % every second, following the lowest wish of the last 5 s.");
    expect(text).toContain("Scales down by at most 1 agent or 50 % every second, at once; only idle agents are stopped, drained first.");
    expect(text).toContain("From zero agents it wakes only when more than 5 tasks wait.");
    expect(text).toContain("Predictive: follows the capacity forecast 30 min ahead when it asks for more.");
    expect(describePolicy(poolPolicySchema.parse({ min: 2, max: 2 }), 1)[0]).toBe("Keeps 2 agents, each with 1 slot.");
    expect(describePolicy(poolPolicySchema.parse({ min: 2, max: 2 }), 1).some((s) => s.startsWith("From zero"))).toBe(false);
  });
});
