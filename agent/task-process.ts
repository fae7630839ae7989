// Runs one assignment as a child process: builds argv, passes the task in env and on stdin,
// streams output lines into the task log, enforces the timeout, and turns the exit into a
// result or a TaskError.
//
// Each child leads its own process group (detached), so a cancel or timeout can signal the
// whole tree it started — `sh -c "make test"` included — and not just the shell.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Assignment } from "../lib/protocol";
import { renderTemplate, TemplateError, type CommandTemplate } from "./command-template";
import { LineSplitter, TailBuffer } from "./line-splitter";
import { TaskError, type TaskContext, type TaskHandler } from "./sdk";

/** Linux allows 128 KiB per env string; bigger payloads are passed by file only. */
const MAX_ENV_PAYLOAD_BYTES = 64 * 1024;
const TAIL_LINES = 20;
/** After the main process exits, how long its output pipes may stay open before the rest of its group is killed. */
const EXIT_CLOSE_GRACE_MS = 1_000;

export interface TaskProcessOptions {
  /** Argv template; without one the task's `command` runs under `sh -c`. */
  template?: CommandTemplate;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  cwd?: string;
}

export interface TaskProcesses {
  handler: TaskHandler;
  /** Process group ids of the running children, for resource sampling. */
  groups(): number[];
  /** Signals every running task's process group at once (shutdown). */
  killAll(signal: NodeJS.Signals): void;
}

export function createTaskProcesses(options: TaskProcessOptions = {}): TaskProcesses {
  const running = new Set<number>();
  return {
    handler: (task, ctx) => runTaskProcess(task, ctx, options, running),
    groups: () => [...running],
    killAll: (signal) => running.forEach((pid) => signalGroup(pid, signal)),
  };
}

export function buildArgv(task: Assignment, template: CommandTemplate | undefined): string[] {
  if (template) {
    try {
      return renderTemplate(template, task);
    } catch (error) {
      if (error instanceof TemplateError) throw new TaskError(error.message, { retryable: false });
      throw error;
    }
  }
  if (task.command == null) {
    throw new TaskError("the task has no command and this agent was started without a command template", { retryable: false });
  }
  return ["sh", "-c", task.command];
}

async function runTaskProcess(task: Assignment, ctx: TaskContext, options: TaskProcessOptions, running: Set<number>): Promise<unknown> {
  const argv = buildArgv(task, options.template);
  const workDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-task-"));
  try {
    const payloadJson = JSON.stringify(task.payload ?? null);
    const resultFile = path.join(workDir, "result.json");
    const env = await taskEnv(task, payloadJson, resultFile, workDir);

    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const exit = watchExit(child);
    const pid = await spawned(child, argv[0]);
    running.add(pid);
    try {
      // The child may never read stdin; EPIPE then is expected, not a failure.
      child.stdin!.on("error", () => {});
      child.stdin!.end(`${payloadJson}\n`);

      const stdoutTail = new TailBuffer<string>(TAIL_LINES);
      const stderrTail = new TailBuffer<string>(TAIL_LINES);
      pipeLines(child.stdout!, (line) => (stdoutTail.push(line), ctx.log(line, "stdout")));
      pipeLines(child.stderr!, (line) => (stderrTail.push(line), ctx.log(line, "stderr")));

      let timedOut = false;
      const killGraceMs = options.killGraceMs ?? 5_000;
      const stop = () => terminateGroup(pid, killGraceMs, exit.exited);
      const timer = task.timeoutMs != null ? setTimeout(() => ((timedOut = true), stop()), task.timeoutMs) : undefined;
      ctx.signal.addEventListener("abort", stop, { once: true });

      const { code, signal } = await exit.exited;
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", stop);
      await exit.closedWithin(EXIT_CLOSE_GRACE_MS);
      // Whatever the main process left behind in its group goes with it.
      signalGroup(pid, "SIGKILL");
      child.stdout!.destroy();
      child.stderr!.destroy();

      if (ctx.signal.aborted) throw ctx.signal.reason;
      const written = await readResultFile(resultFile);
      if (timedOut) throw new TaskError(`timed out after ${task.timeoutMs} ms`, { result: written.value });
      if (code === 0) {
        if (written.error) throw new TaskError(`the command exited with code 0 but wrote invalid JSON to SWITCHBOARD_RESULT_FILE: ${written.error}`, { retryable: false });
        return written.present ? written.value : { exitCode: 0, stdoutTail: [...stdoutTail.items] };
      }
      const head = code !== null ? `exited with code ${code}` : `killed by signal ${signal}`;
      const tail = stderrTail.items.length > 0 ? `\n${stderrTail.items.join("\n")}` : "";
      throw new TaskError(head + tail, { result: written.value });
    } finally {
      running.delete(pid);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function taskEnv(task: Assignment, payloadJson: string, resultFile: string, workDir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The agent's own credential is not the task's business.
  delete env.SWITCHBOARD_TOKEN;
  Object.assign(env, {
    SWITCHBOARD_TASK_ID: task.taskId,
    SWITCHBOARD_TASK_ATTEMPT: String(task.attempt),
    SWITCHBOARD_TASK_TITLE: task.title,
    SWITCHBOARD_RESULT_FILE: resultFile,
  });
  if (task.command != null) env.SWITCHBOARD_TASK_COMMAND = task.command;
  else delete env.SWITCHBOARD_TASK_COMMAND;
  // W3C trace context under the name OTel's CLI tools read (otel-cli, …): the server's span of
  // this attempt. One inherited from the runner's own environment describes the runner, not the
  // task, so it is never passed on.
  if (task.traceparent) env.TRACEPARENT = task.traceparent;
  else delete env.TRACEPARENT;
  delete env.TRACESTATE;
  const payloadFile = path.join(workDir, "payload.json");
  await writeFile(payloadFile, payloadJson);
  env.SWITCHBOARD_TASK_PAYLOAD_FILE = payloadFile;
  if (Buffer.byteLength(payloadJson) <= MAX_ENV_PAYLOAD_BYTES) env.SWITCHBOARD_TASK_PAYLOAD = payloadJson;
  else delete env.SWITCHBOARD_TASK_PAYLOAD;
  return env;
}

function watchExit(child: ChildProcess) {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    exited,
    closedWithin: (ms: number) => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, ms))]),
  };
}

/** Resolves with the pid once the process runs; a missing executable becomes a TaskError. */
function spawned(child: ChildProcess, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("spawn", () => resolve(child.pid!));
    child.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "ENOENT" ? "command not found" : error.code === "EACCES" ? "permission denied" : error.message;
      reject(new TaskError(`cannot start "${file}": ${why}`, { retryable: false }));
    });
  });
}

function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void) {
  const splitter = new LineSplitter();
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => splitter.push(chunk).forEach(onLine));
  stream.on("end", () => splitter.end().forEach(onLine));
}

/** SIGTERM now, SIGKILL after the grace period unless the main process is gone by then. */
function terminateGroup(pid: number, graceMs: number, exited: Promise<unknown>) {
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
  void exited.then(() => clearTimeout(timer));
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function readResultFile(file: string): Promise<{ present: boolean; value?: unknown; error?: string }> {
  const text = await readFile(file, "utf8").catch(() => "");
  if (text.trim() === "") return { present: false };
  try {
    return { present: true, value: JSON.parse(text) };
  } catch (error) {
    return { present: true, error: (error as SyntaxError).message };
  }
}
