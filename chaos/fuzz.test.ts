// The fuzzer's safety rules, property-tested: whatever it generates, no shell command other
// than the harmless constant leaves the harness (runners execute `command` under sh -c), and
// hostile keys really end up in the JSON text (a plain assignment of "__proto__" would not).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deep, Huge, REST_BASE, SAFE_COMMAND, fuzzCaseArb, mutated, sanitizeCommands, serialize, withOwn } from "./fuzz";

/** Every `command` value in a JSON text, at any depth. */
function commandsIn(text: string): unknown[] {
  const found: unknown[] = [];
  try {
    JSON.parse(text, (k, v) => {
      if (k === "command") found.push(v);
      return v;
    });
  } catch {
    /* not JSON: nothing a runner would see */
  }
  return found;
}

describe("fuzz safety", () => {
  it("sanitizeCommands leaves no string command but the safe one, at any depth", () => {
    const withCommands = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.record({ command: fc.string(), rest: tie("node") }, { requiredKeys: [] }),
      ),
    })).node;
    fc.assert(
      fc.property(withCommands, (v) => {
        for (const c of commandsIn(serialize(sanitizeCommands(v)))) if (typeof c === "string") expect(c).toBe(SAFE_COMMAND);
      }),
    );
  });

  it("mutations of every base body never carry a generated command", () => {
    for (const base of Object.values(REST_BASE)) {
      fc.assert(
        fc.property(mutated({ ...base, command: "rm -rf /tmp/x" }), (v) => {
          for (const c of commandsIn(serialize(v))) if (typeof c === "string") expect(c === SAFE_COMMAND || /^x+$/.test(c)).toBe(true);
        }),
        { numRuns: 60 },
      );
    }
  });

  it("generated cases build (routes, tRPC, MCP, sockets) with and without real ids", () => {
    const ids = { tasks: ["t_1"], agents: ["ag_1"], runs: ["r_1"], templates: ["chaos-pipeline"] };
    for (const c of fc.sample(fuzzCaseArb(ids), { numRuns: 300, seed: 42 })) {
      if (c.kind === "http") expect(c.path.startsWith("/") || c.path === "*").toBe(true);
      else expect(c.bytes.length).toBeGreaterThan(0);
    }
    expect(fc.sample(fuzzCaseArb({ tasks: [], agents: [], runs: [], templates: [] }), { numRuns: 50, seed: 1 })).toHaveLength(50);
  });

  it("real ids never reach a changing route with a token that could act on them", () => {
    const ids = { tasks: ["t_real"], agents: ["ag_real"], runs: ["r_real"], templates: ["chaos-pipeline"] };
    for (const c of fc.sample(fuzzCaseArb(ids), { numRuns: 2000, seed: 7 })) {
      if (c.kind !== "http" || c.method === "GET" || !(c.cred === "submit" || c.cred === "admin")) continue;
      if (c.label.startsWith("MCP")) continue; // no MCP tool needs more than an agent token (see fuzz.ts)
      expect(c.path).not.toMatch(/t_real|ag_real|r_real|chaos-pipeline/);
    }
  });
});

describe("serialize", () => {
  it("writes __proto__ as an own key and expands placeholders", () => {
    const text = serialize(withOwn({ a: 1 }, "__proto__", { polluted: true }));
    expect(text).toBe('{"a":1,"__proto__":{"polluted":true}}');
    expect(serialize({ s: new Huge(3) })).toBe('{"s":"xxx"}');
    const deep = serialize({ p: new Deep(10_000) });
    expect(deep.length).toBe('{"p":}'.length + 20_000);
    expect(() => JSON.parse(deep)).not.toThrow();
  });
});
