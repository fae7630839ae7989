import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LIMITS, agentCardSchema, batchSubmitSchema, failSchema, parseCapability, progressSchema, taskSpecSchema } from "./protocol";

describe("[PROTOCOL] capabilities", () => {
  it("parses name and name:level", () => {
    expect(parseCapability("typescript:3")).toEqual({ name: "typescript", level: 3 });
    expect(parseCapability("test")).toEqual({ name: "test", level: 1 });
  });
  it("refuses levels outside 1..5 and bad names with a message", () => {
    expect(() => parseCapability("ts:9")).toThrow(/level 1..5/);
    expect(() => parseCapability("bad name")).toThrow(/invalid capability/);
  });
  it("accepts both short strings and objects in a card", () => {
    const card = agentCardSchema.parse({ name: "a1", capabilities: ["ts:2", { name: "go", level: 4 }] });
    expect(card.capabilities).toEqual([{ name: "ts", level: 2 }, { name: "go", level: 4 }]);
    expect(card).toMatchObject({ slots: 1, kind: "sdk", labels: {} });
  });
});

describe("[PROTOCOL] task specs", () => {
  it("fills defaults", () => {
    expect(taskSpecSchema.parse({ title: "t" })).toMatchObject({ priority: 0, requires: [], labels: {}, retry: { maxAttempts: 3, backoffMs: 1000 } });
  });
  it("refuses unknown fields, empty titles and oversize payloads", () => {
    expect(taskSpecSchema.safeParse({ title: "t", extra: 1 }).success).toBe(false);
    expect(taskSpecSchema.safeParse({ title: "  " }).success).toBe(false);
    const big = taskSpecSchema.safeParse({ title: "t", payload: "x".repeat(LIMITS.payloadBytes + 1) });
    expect(big.success).toBe(false);
    expect(big.error?.issues[0].message).toMatch(/payload must be at most/);
  });
  it("bounds batch size", () => {
    expect(batchSubmitSchema.safeParse({ tasks: [] }).success).toBe(false);
    expect(batchSubmitSchema.safeParse({ tasks: Array(LIMITS.batchSubmit + 1).fill({ title: "t" }) }).success).toBe(false);
  });
  it("never throws on arbitrary input: it parses or reports issues", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const r = taskSpecSchema.safeParse(v);
        expect(typeof r.success).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});

describe("[PROTOCOL] reports", () => {
  it("truncates long log lines and error texts instead of refusing them", () => {
    const p = progressSchema.parse({ taskId: "t", attempt: 1, logs: [{ line: "x".repeat(LIMITS.logLineLength + 10) }] });
    expect(p.logs[0]).toEqual({ stream: "stdout", line: "x".repeat(LIMITS.logLineLength) });
    const f = failSchema.parse({ taskId: "t", attempt: 1, error: "e".repeat(LIMITS.errorLength + 5) });
    expect(f.error.length).toBe(LIMITS.errorLength);
    expect(f.retryable).toBe(true);
  });
  it("requires a positive attempt (the fencing token)", () => {
    expect(progressSchema.safeParse({ taskId: "t", attempt: 0 }).success).toBe(false);
  });
});
