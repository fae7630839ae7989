import { describe, expect, it } from "vitest";
import { labelsFrom, parseCapabilityFlag, parseDuration, parseIntFlag, parseJsonFlag, parseLabelFlag, UsageError } from "./cli-flags";

describe("[cli flags]", () => {
  it("parses capabilities with and without a level", () => {
    expect(parseCapabilityFlag("typescript:3")).toEqual({ name: "typescript", level: 3 });
    expect(parseCapabilityFlag("test")).toEqual({ name: "test", level: 1 });
    expect(() => parseCapabilityFlag("ts:9")).toThrow(UsageError);
    expect(() => parseCapabilityFlag("")).toThrow(/invalid capability/);
  });

  it("parses labels, keeping '=' inside values", () => {
    expect(parseLabelFlag("region=eu")).toEqual(["region", "eu"]);
    expect(parseLabelFlag("expr=a=b")).toEqual(["expr", "a=b"]);
    expect(parseLabelFlag("empty=")).toEqual(["empty", ""]);
    expect(() => parseLabelFlag("region")).toThrow(/expected key=value/);
    expect(() => parseLabelFlag("=eu")).toThrow(UsageError);
  });

  it("merges repeated labels and refuses contradictions", () => {
    expect(labelsFrom(["a=1", "b=2", "a=1"])).toEqual({ a: "1", b: "2" });
    expect(() => labelsFrom(["a=1", "a=2"])).toThrow(/given twice/);
  });

  it("parses durations, a bare number being seconds", () => {
    expect(parseDuration("30s", "--x")).toBe(30_000);
    expect(parseDuration("500ms", "--x")).toBe(500);
    expect(parseDuration("2m", "--x")).toBe(120_000);
    expect(parseDuration("1.5", "--x")).toBe(1_500);
    expect(() => parseDuration("soon", "--drain-timeout")).toThrow(/--drain-timeout/);
  });

  it("parses whole numbers within bounds", () => {
    expect(parseIntFlag("2", "--slots", { min: 1 })).toBe(2);
    expect(parseIntFlag("-5", "--priority")).toBe(-5);
    expect(() => parseIntFlag("0", "--slots", { min: 1, max: 64 })).toThrow(/between 1 and 64/);
    expect(() => parseIntFlag("1.5", "--slots")).toThrow(UsageError);
    expect(() => parseIntFlag("two", "--slots")).toThrow(UsageError);
  });

  it("parses JSON payloads with a clear error", () => {
    expect(parseJsonFlag('{"a":1}', "--payload")).toEqual({ a: 1 });
    expect(() => parseJsonFlag("{a:1}", "--payload")).toThrow(/--payload: not valid JSON/);
  });
});
