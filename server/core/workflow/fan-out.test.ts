import { expect, test } from "vitest";
import { taskStepSchema } from "@/lib/workflow";
import { copyId, fanOutCount, isFanOutCount, parallelParam } from "./fan-out";

test("[FANOUT]: parallelParam reads the parameter name out of a reference", () => {
  expect(parallelParam("{{params.n}}")).toBe("n");
  expect(parallelParam("{{ params.max-copies }}")).toBe("max-copies");
  expect(parallelParam(3)).toBeNull();
  expect(parallelParam(undefined)).toBeNull();
});

test("[FANOUT]: fanOutCount resolves literals and parameters and refuses bad counts", () => {
  const step = (parallel?: number | string) => ({ ...taskStepSchema.parse({ id: "impl", parallel }), type: "task" as const });
  expect(fanOutCount(step(), {})).toBeNull();
  expect(fanOutCount(step(4), {})).toBe(4);
  expect(fanOutCount(step("{{params.n}}"), { n: 7 })).toBe(7);
  expect(() => fanOutCount(step("{{params.n}}"), {})).toThrow("step impl fans out by parameter n, which is undefined");
  expect(isFanOutCount(100)).toBe(true);
  expect(isFanOutCount(101)).toBe(false);
  expect(copyId("impl", 2)).toBe("impl_2");
});
