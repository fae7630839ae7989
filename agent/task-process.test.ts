// Runs real (tiny) `sh` children: no server, well under a second in total.
import { describe, expect, it } from "vitest";
import type { Assignment, LogStream } from "../lib/protocol";
import { compileTemplate } from "./command-template";
import { TaskAbortedError, TaskError, type TaskContext } from "./sdk";
import { buildArgv, createTaskProcesses } from "./task-process";

const assignment = (over: Partial<Assignment> = {}): Assignment => ({
  taskId: "t_1",
  attempt: 1,
  title: "a task",
  submittedBy: null,
  command: "true",
  payload: { n: 1 },
  timeoutMs: null,
  leaseExpiresAt: 0,
  ...over,
});

function context(controller = new AbortController()) {
  const lines: { line: string; stream?: LogStream }[] = [];
  const ctx: TaskContext = { taskId: "t_1", attempt: 1, signal: controller.signal, log: (line, stream) => lines.push({ line, stream }), progress() {} };
  return { ctx, lines, controller };
}

const run = (task: Assignment, ctx: TaskContext, template?: string[]) =>
  createTaskProcesses({ template: template && compileTemplate(template), killGraceMs: 200 }).handler(task, ctx) as Promise<unknown>;

describe("[task process]", () => {
  it("builds argv from a template, else sh -c, else refuses", () => {
    expect(buildArgv(assignment({ command: "echo hi" }), undefined)).toEqual(["sh", "-c", "echo hi"]);
    expect(buildArgv(assignment(), compileTemplate(["node", "x.js", "{{payload.n}}"]))).toEqual(["node", "x.js", "1"]);
    expect(() => buildArgv(assignment({ command: null }), undefined)).toThrow(TaskError);
    try {
      buildArgv(assignment({ command: null }), undefined);
    } catch (error) {
      expect((error as TaskError).retryable).toBe(false);
    }
  });

  it("streams output and completes with the stdout tail", async () => {
    const { ctx, lines } = context();
    const result = await run(assignment({ command: 'echo out; echo err >&2; printf "no newline"' }), ctx);
    expect(result).toEqual({ exitCode: 0, stdoutTail: ["out", "no newline"] });
    expect(lines).toContainEqual({ line: "err", stream: "stderr" });
  });

  it("passes the task in env and on stdin, and returns the result file", async () => {
    const { ctx } = context();
    const command = 'read -r input; printf \'{"stdin":%s,"env":%s,"id":"%s","attempt":%s}\' "$input" "$SWITCHBOARD_TASK_PAYLOAD" "$SWITCHBOARD_TASK_ID" "$SWITCHBOARD_TASK_ATTEMPT" > "$SWITCHBOARD_RESULT_FILE"';
    expect(await run(assignment({ command }), ctx)).toEqual({ stdin: { n: 1 }, env: { n: 1 }, id: "t_1", attempt: 1 });
  });

  it("runs a template without a shell", async () => {
    const { ctx, lines } = context();
    await run(assignment(), ctx, ["echo", "{{task.title}}", "$HOME"]);
    expect(lines[0].line).toBe("a task $HOME");
  });

  it("fails with the exit code and the stderr tail", async () => {
    const { ctx } = context();
    await expect(run(assignment({ command: "echo broken >&2; exit 3" }), ctx)).rejects.toThrow("exited with code 3\nbroken");
  });

  it("fails non-retryably for a missing executable", async () => {
    const { ctx } = context();
    await expect(run(assignment(), ctx, ["/nonexistent/tool"])).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/command not found/) });
  });

  it("kills the whole process group on timeout", async () => {
    const { ctx } = context();
    const started = Date.now();
    await expect(run(assignment({ command: "sleep 30 & sleep 30; wait", timeoutMs: 150 }), ctx)).rejects.toThrow("timed out after 150 ms");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("escalates to SIGKILL when SIGTERM is ignored", async () => {
    const { ctx } = context();
    await expect(run(assignment({ command: "trap '' TERM; sleep 30", timeoutMs: 100 }), ctx)).rejects.toThrow(/timed out/);
  });

  it("stops on abort and rethrows the abort reason", async () => {
    const { ctx, controller } = context();
    const running = run(assignment({ command: "sleep 30" }), ctx);
    setTimeout(() => controller.abort(new TaskAbortedError("canceled", "by operator")), 100);
    await expect(running).rejects.toBeInstanceOf(TaskAbortedError);
  });
});
