import { describe, expect, it } from "vitest";
import { identifyingLabels, matchersFor, sectionOf } from "./alert-view-model";

describe("alert view model", () => {
  it("puts silenced alerts in their own section, resolved ones last", () => {
    expect(sectionOf({ phase: "firing", silencedBy: [] })).toBe("firing");
    expect(sectionOf({ phase: "firing", silencedBy: ["s1"] })).toBe("silenced");
    expect(sectionOf({ phase: "pending", silencedBy: [] })).toBe("pending");
    expect(sectionOf({ phase: "resolved", silencedBy: ["s1"] })).toBe("resolved");
  });

  it("silences exactly one alert by its name and identifying labels, quoting values", () => {
    const labels = { alertname: "AgentOffline", severity: "critical", agent: 'b-"1"' };
    expect(identifyingLabels(labels)).toEqual([["agent", 'b-"1"']]);
    expect(matchersFor(labels)).toEqual(['alertname="AgentOffline"', 'agent="b-\\"1\\""']);
  });
});
