import { describe, expect, it } from "vitest";
import { copyIndex, describeReference, hasReferences, titleParts, titleText } from "./placeholders";

describe("[step titles]: unresolved references", () => {
  it("cuts a title into text and short reference labels", () => {
    expect(titleParts("Merge {{steps.plan.result.branch}}")).toEqual([
      { kind: "text", text: "Merge " },
      { kind: "ref", raw: "{{steps.plan.result.branch}}", label: "plan.branch", hint: "filled in from step plan once it has finished" },
    ]);
    expect(titleText("Implement slice {{ index }} on {{steps.plan.result.branch}}")).toBe("Implement slice ‹#› on ‹plan.branch›");
  });

  it("names every kind of reference briefly", () => {
    expect(describeReference("steps.build.result").label).toBe("build result");
    expect(describeReference("steps.test.status").label).toBe("test.status");
    expect(describeReference(' steps.a.result["two words"][0] ').label).toBe("a.two words.0");
    expect(describeReference("params.version").label).toBe("version");
    expect(describeReference("run.id").label).toBe("run id");
    expect(describeReference("index").label).toBe("#");
    expect(describeReference("something.else").label).toBe("something.else");
    expect(describeReference("   ").label).toBe("…");
  });

  it("leaves titles without references alone, including stray braces", () => {
    expect(titleParts("Build app")).toEqual([{ kind: "text", text: "Build app" }]);
    expect(titleParts("")).toEqual([{ kind: "text", text: "" }]);
    expect(titleText("a { b } {{ c")).toBe("a { b } {{ c");
    expect(hasReferences("Build app")).toBe(false);
    expect(hasReferences("Deploy {{params.v}}")).toBe(true);
  });

  it("keeps text on both sides and between adjacent references", () => {
    expect(titleText("{{params.a}}{{params.b}} then {{steps.x.result.y}}!")).toBe("‹a›‹b› then ‹x.y›!");
  });

  it("stays fast on hostile input", () => {
    const t = Date.now();
    titleParts("{{".repeat(50_000) + "x");
    expect(Date.now() - t).toBeLessThan(500);
  });

  it("writes in a fan-out copy's number when it is known", () => {
    expect(titleParts("Shard {{index}} of 4", { index: 2 })).toEqual([{ kind: "text", text: "Shard 2 of 4" }]);
    expect(titleText("Implement slice {{ index }} on {{steps.plan.result.branch}}", { index: 3 })).toBe("Implement slice 3 on ‹plan.branch›");
    expect(titleText("Shard {{index}}", { index: null })).toBe("Shard ‹#›");
  });

  it("reads a copy's number from its id", () => {
    expect(copyIndex({ id: "implement_3", templateStepId: "implement" })).toBe(3);
    expect(copyIndex({ id: "implement_12", templateStepId: "implement" })).toBe(12);
    expect(copyIndex({ id: "implement", templateStepId: "implement" })).toBeNull();
    expect(copyIndex({ id: "implement_x", templateStepId: "implement" })).toBeNull();
    expect(copyIndex({ id: "other_1", templateStepId: "implement" })).toBeNull();
  });
});
