// The legacy tmux bridge: an agent whose work happens in a tmux pane. A task's command is
// typed into the pane, the pane's new output is streamed as the task's log, and the task ends
// when a line matches the done marker (see tmux-screen.ts for the pure parts).

import { execFile } from "node:child_process";
import { TaskError, type MessageHandler, type TaskContext, type TaskHandler } from "./sdk";
import type { Assignment } from "../lib/protocol";
import { captureLines, commandText, DEFAULT_DONE_MARKER, DONE_ECHO, messageText, PaneTail, parseDoneMarker } from "./tmux-screen";

export interface TmuxOptions {
  /** `session:window.pane` */
  target: string;
  /** `-L <socket>` for every tmux call; the default server without it. */
  socket?: string;
  doneMarker?: RegExp;
  /** Type `; echo __SWITCHBOARD_DONE__ $?` after each command (default true). */
  doneEcho?: boolean;
  taskTimeoutMs?: number;
  pollMs?: number;
  /** History lines captured above the visible screen. */
  historyLines?: number;
  tmuxPath?: string;
}

export class TmuxError extends Error {}

export interface TmuxBridge {
  /** Throws a TmuxError with one clear sentence when the target pane does not exist. */
  check(): Promise<void>;
  onTask: TaskHandler;
  onMessage: MessageHandler;
  /** Sends C-c to the pane. */
  interrupt(): Promise<void>;
}

export function createTmuxBridge(options: TmuxOptions): TmuxBridge {
  const tmuxPath = options.tmuxPath ?? "tmux";
  const base = options.socket ? ["-L", options.socket] : [];
  const marker = options.doneMarker ?? DEFAULT_DONE_MARKER;
  const doneEcho = options.doneEcho ?? true;
  const timeoutMs = options.taskTimeoutMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 200;
  const history = options.historyLines ?? 1000;
  const where = `tmux pane "${options.target}"${options.socket ? ` (tmux -L ${options.socket})` : ""}`;
  let buffers = 0;

  const tmux = (args: string[], input?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(tmuxPath, [...base, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new TmuxError(`tmux ${args[0]} failed for ${where}: ${(stderr || error.message).trim()}`));
        else resolve(stdout);
      });
      if (input !== undefined) child.stdin!.end(input);
      else child.stdin!.end();
    });

  /** Pastes text (no key-name interpretation) and presses Enter. */
  const type = async (text: string) => {
    const buffer = `switchboard-${process.pid}-${++buffers}`;
    await tmux(["load-buffer", "-b", buffer, "-"], text);
    await tmux(["paste-buffer", "-d", "-b", buffer, "-t", options.target]);
    await tmux(["send-keys", "-t", options.target, "Enter"]);
  };

  const capture = async () => captureLines(await tmux(["capture-pane", "-p", "-J", "-t", options.target, "-S", `-${history}`]));
  const interrupt = async () => void (await tmux(["send-keys", "-t", options.target, "C-c"]));

  const check = async () => {
    // capture-pane needs a real pane (display-message would quietly fall back to the current one),
    // so a missing session, window or pane fails here rather than at the first task.
    try {
      await tmux(["capture-pane", "-p", "-t", options.target, "-S", "-1"]);
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes("ENOENT")) throw new TmuxError(`tmux was not found (${tmuxPath})`);
      throw new TmuxError(`${where} does not exist: ${message.slice(message.indexOf(": ", message.indexOf(where)) + 2)}`);
    }
  };

  const onTask: TaskHandler = async (task: Assignment, ctx: TaskContext) => {
    const command = commandText(task.command ?? task.title);
    const tail = new PaneTail(await capture());
    await type(doneEcho ? `${command}${DONE_ECHO}` : command);

    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ctx.signal.aborted) {
        await interrupt().catch(() => undefined);
        throw ctx.signal.reason ?? new Error("aborted");
      }
      if (Date.now() > deadline) {
        await interrupt().catch(() => undefined);
        throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s without a done marker in ${where}`);
      }
      await sleep(pollMs, ctx.signal);
      if (ctx.signal.aborted) continue;
      const { lines: fresh, pending } = tail.update(await capture());
      for (const line of fresh) {
        const done = parseDoneMarker(line, marker);
        if (done) return finish(done.exitCode, lines);
        lines.push(line);
        ctx.log(line, "stdout");
      }
      const done = pending === undefined ? undefined : parseDoneMarker(pending, marker);
      if (done) return finish(done.exitCode, lines);
    }
  };

  const onMessage: MessageHandler = async (message, ctx) => {
    await type(messageText(message.from.name, message.body));
    await ctx.ack();
  };

  return { check, onTask, onMessage, interrupt };
}

const MAX_RESULT_LINES = 200;

function finish(exitCode: number, lines: string[]) {
  const result = { exitCode, lines: lines.slice(-MAX_RESULT_LINES) };
  if (exitCode !== 0) throw new TaskError(`the command exited with code ${exitCode}`, { result });
  return result;
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
