// The runner's message handling: one stderr line per message, optionally a file per message
// (`--messages-dir`) and a command per message (`--on-message`) whose stdout becomes the reply.
// The SDK acks each message after this handler returns, whatever the command did.

import { spawn } from "node:child_process";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MessageView } from "../lib/messaging";
import type { AgentLogger, MessageHandler } from "./sdk";
import { TailBuffer } from "./line-splitter";

export interface MessageHandlerOptions {
  /** Shell command run with `sh -c` for each message: the message JSON on stdin, details in env. */
  onMessage?: string;
  /** Directory where each message is written as `<seq>-<id>.json`. */
  messagesDir?: string;
  /** Time limit for one `--on-message` command; it is killed (SIGTERM, then SIGKILL) after it. */
  commandTimeoutMs?: number;
  /** Added to the command's env as SWITCHBOARD_AGENT_ID. */
  agentId?: () => string;
  /** More env for the command, e.g. SWITCHBOARD_URL/TOKEN so it can run `switchboard send`. */
  env?: Record<string, string>;
  log: AgentLogger;
  cwd?: string;
}

/** `message 12 from reviewer: first 80 characters of the body…` */
export function messageLogLine(m: Pick<MessageView, "seq" | "from" | "body">): string {
  const oneLine = m.body.replace(/\s+/g, " ").trim();
  const clipped = oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine;
  return `message ${m.seq} from ${m.from.name}: ${clipped}`;
}

export function messageFileName(m: Pick<MessageView, "seq" | "id">): string {
  return `${m.seq}-${m.id.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
}

/** The env of an `--on-message` command, on top of the runner's own. */
export function messageEnv(m: MessageView, agentId?: string): Record<string, string> {
  const env: Record<string, string> = {
    SWITCHBOARD_MESSAGE_ID: m.id,
    SWITCHBOARD_MESSAGE_SEQ: String(m.seq),
    SWITCHBOARD_MESSAGE_FROM: m.from.name,
    SWITCHBOARD_MESSAGE_FROM_ID: m.from.agentId ?? "",
    SWITCHBOARD_MESSAGE_BODY: m.body,
    SWITCHBOARD_MESSAGE_THREAD: m.threadId,
    SWITCHBOARD_MESSAGE_REPLY_TO: m.replyTo ?? "",
    SWITCHBOARD_MESSAGE_IMPORTANCE: m.importance,
    SWITCHBOARD_MESSAGE_TO: `${m.to.kind}:${m.to.value}`,
  };
  if (agentId) env.SWITCHBOARD_AGENT_ID = agentId;
  return env;
}

export function createMessageHandler(options: MessageHandlerOptions): MessageHandler {
  const { log } = options;
  let dirReady: Promise<unknown> | undefined;
  return async (message, ctx) => {
    log.info(messageLogLine(message));
    if (options.messagesDir) {
      const dir = options.messagesDir;
      dirReady ??= mkdir(dir, { recursive: true });
      await dirReady;
      // Written under a temporary name and renamed, so a poller never reads half a file.
      const file = path.join(dir, messageFileName(message));
      await writeFile(`${file}.tmp`, `${JSON.stringify(message, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    }
    if (!options.onMessage) return;
    const result = await runMessageCommand(options.onMessage, message, {
      env: { ...options.env, ...messageEnv(message, options.agentId?.()) },
      timeoutMs: options.commandTimeoutMs ?? 5 * 60_000,
      cwd: options.cwd,
    });
    if (result.code !== 0) {
      const why = result.timedOut ? "timed out" : result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`;
      log.warn(`--on-message for message ${message.seq} ${why}${result.stderrTail ? `: ${result.stderrTail}` : ""}`);
    }
    const reply = result.stdout.trim();
    if (reply === "") return;
    if (!message.from.agentId) {
      log.warn(`message ${message.seq}: not replying, its sender "${message.from.name}" is not an agent`);
      return;
    }
    try {
      const sent = await ctx.reply(reply);
      log.info(`replied to message ${message.seq} with ${sent.messageId}`);
    } catch (error) {
      log.warn(`message ${message.seq}: the reply was not sent: ${(error as Error).message}`);
    }
  };
}

export interface MessageCommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderrTail: string;
}

/** Bigger stdout is cut here; the server would refuse a reply above 64 KiB anyway. */
const MAX_STDOUT_BYTES = 64 * 1024;

export function runMessageCommand(
  command: string,
  message: MessageView,
  options: { env: Record<string, string>; timeoutMs: number; cwd?: string },
): Promise<MessageCommandResult> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stderr = new TailBuffer<string>(5);
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), 5_000).unref();
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      if (bytes < MAX_STDOUT_BYTES) chunks.push(chunk.subarray(0, MAX_STDOUT_BYTES - bytes));
      bytes += chunk.length;
    });
    let partial = "";
    child.stderr.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach((l) => stderr.push(l));
    });
    child.stdin.on("error", () => undefined); // the command may not read stdin
    child.stdin.end(`${JSON.stringify(message)}\n`);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      if (partial) stderr.push(partial);
      resolve({ code, signal, timedOut, stdout: Buffer.concat(chunks).toString("utf8"), stderrTail: stderr.items.join(" | ") });
    };
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, signal: null, timedOut, stdout: "", stderrTail: error.message });
    });
    child.on("close", finish);
  });
}
