import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hasCapabilities, levelOf, matchesLabels, qualifies, requirementKey, type Qualifiable, type Requirement } from "./matching";

const agent = (caps: Record<string, number>, labels: Record<string, string> = {}): Qualifiable => ({
  capabilities: Object.entries(caps).map(([name, level]) => ({ name, level })),
  labels,
});
const task = (caps: Record<string, number>, labelSelector: Record<string, string> = {}): Requirement => ({
  requirements: Object.entries(caps).map(([name, level]) => ({ name, level })),
  labelSelector,
});

describe("levels", () => {
  test("[MATCHING]: an agent at exactly the required level qualifies", () => {
    expect(qualifies(agent({ ts: 3 }), task({ ts: 3 }))).toBe(true);
  });

  test("[MATCHING]: an agent above the required level qualifies", () => {
    expect(qualifies(agent({ ts: 5 }), task({ ts: 2 }))).toBe(true);
  });

  test("[MATCHING]: an agent below the required level does not qualify", () => {
    expect(qualifies(agent({ ts: 2 }), task({ ts: 3 }))).toBe(false);
  });

  test("[MATCHING]: a missing capability counts as level 0", () => {
    expect(levelOf(agent({ go: 4 }), "ts")).toBe(0);
    expect(hasCapabilities(agent({ go: 4 }), task({ ts: 1 }))).toBe(false);
  });

  test("[MATCHING]: a capability listed twice counts at its best level", () => {
    const a: Qualifiable = { capabilities: [{ name: "ts", level: 1 }, { name: "ts", level: 4 }, { name: "ts", level: 2 }], labels: {} };
    expect(levelOf(a, "ts")).toBe(4);
    expect(qualifies(a, task({ ts: 4 }))).toBe(true);
  });

  test("[MATCHING]: a task without requirements or selector matches any agent", () => {
    expect(qualifies(agent({}), task({}))).toBe(true);
  });
});

describe("multiple requirements", () => {
  test("[MATCHING]: every requirement must be met", () => {
    const a = agent({ ts: 3, docker: 1 });
    expect(qualifies(a, task({ ts: 2, docker: 1 }))).toBe(true);
    expect(qualifies(a, task({ ts: 2, docker: 2 }))).toBe(false);
    expect(qualifies(a, task({ ts: 2, gpu: 1 }))).toBe(false);
  });
});

describe("label selectors", () => {
  test("[MATCHING]: every selected label must be present with the same value", () => {
    const a = agent({}, { region: "eu", os: "linux" });
    expect(matchesLabels(a, task({}, { region: "eu" }))).toBe(true);
    expect(matchesLabels(a, task({}, { region: "eu", os: "linux" }))).toBe(true);
    expect(matchesLabels(a, task({}, { region: "us" }))).toBe(false);
    expect(matchesLabels(a, task({}, { gpu: "yes" }))).toBe(false);
  });

  test("[MATCHING]: labels the task does not select are ignored", () => {
    expect(qualifies(agent({ ts: 1 }, { region: "eu", extra: "x" }), task({ ts: 1 }, { region: "eu" }))).toBe(true);
  });

  test("[MATCHING]: a capable agent with the wrong labels does not qualify", () => {
    expect(qualifies(agent({ ts: 5 }, { region: "us" }), task({ ts: 1 }, { region: "eu" }))).toBe(false);
  });
});

describe("requirementKey", () => {
  test("[MATCHING]: the key does not depend on the order of requirements or labels", () => {
    const a: Requirement = {
      requirements: [{ name: "ts", level: 2 }, { name: "docker", level: 1 }],
      labelSelector: { region: "eu", os: "linux" },
    };
    const b: Requirement = {
      requirements: [{ name: "docker", level: 1 }, { name: "ts", level: 2 }],
      labelSelector: { os: "linux", region: "eu" },
    };
    expect(requirementKey(a)).toBe(requirementKey(b));
  });

  test("[MATCHING]: different levels, capabilities or labels give different keys", () => {
    const base = requirementKey(task({ ts: 2 }, { region: "eu" }));
    expect(requirementKey(task({ ts: 3 }, { region: "eu" }))).not.toBe(base);
    expect(requirementKey(task({ go: 2 }, { region: "eu" }))).not.toBe(base);
    expect(requirementKey(task({ ts: 2 }, { region: "us" }))).not.toBe(base);
    expect(requirementKey(task({ ts: 2 }))).not.toBe(base);
  });

  test("[MATCHING]: the key is stable under any permutation (property)", () => {
    const name = fc.constantFrom("ts", "go", "py", "gpu", "docker");
    const reqs = fc.uniqueArray(fc.record({ name, level: fc.integer({ min: 1, max: 5 }) }), { selector: (c) => c.name, maxLength: 5 });
    const labels = fc.dictionary(fc.constantFrom("region", "os", "tier", "zone"), fc.constantFrom("a", "b", "c"));
    fc.assert(
      fc.property(reqs, labels, fc.infiniteStream(fc.nat()), (requirements, labelSelector, seeds) => {
        const shuffle = <T>(xs: T[]) => {
          const out = [...xs];
          for (let i = out.length - 1; i > 0; i--) {
            const j = seeds.next().value % (i + 1);
            [out[i], out[j]] = [out[j], out[i]];
          }
          return out;
        };
        const shuffled: Requirement = {
          requirements: shuffle(requirements),
          labelSelector: Object.fromEntries(shuffle(Object.entries(labelSelector))),
        };
        expect(requirementKey(shuffled)).toBe(requirementKey({ requirements, labelSelector }));
      }),
      { numRuns: 200 },
    );
  });

  // Label values may contain any character (lib/protocol.ts labelsSchema), so joining them with
  // "," and "=" must not let two different selectors share a key: the dispatcher checks one
  // task per key and skips the whole group when that task has no candidate.
  test("[MATCHING]: selectors whose values contain separators do not collide", () => {
    const oneLabel = task({}, { gpu: "yes,zone=x" });
    const twoLabels = task({}, { gpu: "yes", zone: "x" });
    expect(requirementKey(oneLabel)).not.toBe(requirementKey(twoLabels));
    expect(requirementKey(task({}, { "a=b": "c" }))).not.toBe(requirementKey(task({}, { a: "b=c" })));
  });
});
