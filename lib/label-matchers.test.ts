import { describe, expect, it } from "vitest";
import { formatMatcher, matches, matchesAll, parseMatcher, parseMatchers } from "./label-matchers";

describe("label matchers", () => {
  it("parses the four operators and matches whole values", () => {
    const ms = parseMatchers('severity="critical", agent!="b-1"\ncapability=~"gpu|cuda", team!~"ops.*"');
    if (typeof ms === "string") throw new Error(ms);
    expect(ms.map(formatMatcher)).toEqual(['severity="critical"', 'agent!="b-1"', 'capability=~"gpu|cuda"', 'team!~"ops.*"']);
    expect(matchesAll(ms, { severity: "critical", agent: "b-2", capability: "gpu", team: "dev" })).toBe(true);
    expect(matchesAll(ms, { severity: "critical", agent: "b-2", capability: "gpu-large", team: "dev" })).toBe(false);
    expect(matchesAll(ms, { severity: "critical", agent: "b-2", capability: "cuda", team: "ops-eu" })).toBe(false);
  });

  it("treats a missing label as empty, and keeps quotes and commas inside values", () => {
    const m = parseMatcher('team=""');
    if (typeof m === "string") throw new Error(m);
    expect(matches(m, {})).toBe(true);
    const ms = parseMatchers('summary="a, \\"b\\"", x="1"');
    if (typeof ms === "string") throw new Error(ms);
    expect(ms).toEqual([
      { name: "summary", op: "=", value: 'a, "b"' },
      { name: "x", op: "=", value: "1" },
    ]);
  });

  it("says what is wrong with a bad matcher", () => {
    expect(parseMatcher("severity critical")).toMatch(/not a label matcher/);
    expect(parseMatcher('x=~"("')).toMatch(/not a valid regular expression/);
    expect(parseMatchers('a="1", b')).toMatch(/"\s*b" is not a label matcher/);
  });
});
