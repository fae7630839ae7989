// How many copies a fanned-out step runs. `parallel` is either a number or a reference to a
// number parameter ("{{params.slices}}"); the schema in lib/workflow.ts allows only those two.
import { WORKFLOW_LIMITS, type StepDef } from "@/lib/workflow";
import { type ParamValues } from "@/lib/api";

/** The parameter a `parallel: "{{params.n}}"` names, or null for a literal count. */
export function parallelParam(parallel: number | string | undefined): string | null {
  if (typeof parallel !== "string") return null;
  const m = /^\{\{\s*params\.(.+?)\s*\}\}$/.exec(parallel);
  return m ? m[1] : null;
}

/** A valid fan-out count: a whole number from 1 to WORKFLOW_LIMITS.fanOut. */
export function isFanOutCount(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= WORKFLOW_LIMITS.fanOut;
}

/** Copies of `step` to run (null when it does not fan out); throws when a parameter gives a bad count. */
export function fanOutCount(step: StepDef, params: ParamValues): number | null {
  if (step.type !== "task" || step.parallel === undefined) return null;
  const name = parallelParam(step.parallel);
  const n = name === null ? step.parallel : params[name];
  if (!isFanOutCount(n))
    throw new Error(
      `step ${step.id} fans out ${name ? `by parameter ${name}, which is ${JSON.stringify(n)}` : `${JSON.stringify(n)} times`}; the count must be a whole number from 1 to ${WORKFLOW_LIMITS.fanOut}`,
    );
  return n;
}

/** The id of copy `index` (1-based) of a fanned-out step. */
export const copyId = (stepId: string, index: number) => `${stepId}_${index}`;
