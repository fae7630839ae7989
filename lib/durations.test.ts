import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, msFieldsFromDurations, parseDuration } from "./durations";

describe("durations", () => {
  it("reads the units people write", () => {
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration(" 90s ")).toBe(90_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    for (const bad of ["", "5", "m", "five minutes", "5 minutes", "-5m", "5x"]) expect(parseDuration(bad), bad).toBeNull();
  });

  it("property: what it writes it reads back", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 90 * 86_400_000 }), (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }));
    expect(formatDuration(5_400_000)).toBe("1h30m");
    expect(formatDuration(0)).toBe("0s");
  });

  it("reads the …Ms fields of a configuration written as durations, at any depth", () => {
    expect(msFieldsFromDurations({ cooldownMs: "1m", up: { periodMs: "15s", agents: 4 }, name: "5m", list: [{ leadMs: "10m" }], raw: 250 })).toEqual({ cooldownMs: 60_000, up: { periodMs: 15_000, agents: 4 }, name: "5m", list: [{ leadMs: 600_000 }], raw: 250 });
    expect(msFieldsFromDurations({ cooldownMs: "soon" })).toEqual({ cooldownMs: "soon" }); // left for the schema to refuse, by name
  });
});
