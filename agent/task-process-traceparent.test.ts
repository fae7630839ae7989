// [TASK PROCESS] The assignment's trace context reaches the task as TRACEPARENT; one inherited
// from the runner's own environment never does. Real (tiny) `sh` children.
import { afterEach, describe, expect, it } from "vitest";
import type { Assignment } from "../lib/protocol";
import type { TaskContext } from "./sdk";
import { createTaskProcesses } from "./task-process";

const TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const assignment = (over: Partial<Assignment> = {}): Assignment => ({
  taskId: "t_1",
  attempt: 1,
  title: "a task",
  submittedBy: null,
  command: 'printf "%s|%s" "${TRACEPARENT-unset}" "${TRACESTATE-unset}"',
  payload: null,
  timeoutMs: null,
  leaseExpiresAt: 0,
  ...over,
});
const ctx: TaskContext = { taskId: "t_1", attempt: 1, signal: new AbortController().signal, log() {}, progress() {} };
const run = async (task: Assignment) => ((await createTaskProcesses({ killGraceMs: 200 }).handler(task, ctx)) as { stdoutTail: string[] }).stdoutTail[0];

const saved = { TRACEPARENT: process.env.TRACEPARENT, TRACESTATE: process.env.TRACESTATE };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("[task process] trace context", () => {
  it("passes the assignment's traceparent, and drops the runner's own", async () => {
    process.env.TRACEPARENT = "00-11111111111111111111111111111111-2222222222222222-01";
    process.env.TRACESTATE = "vendor=runner";
    expect(await run(assignment({ traceparent: TP }))).toBe(`${TP}|unset`);
    expect(await run(assignment())).toBe("unset|unset");
  });
});
