// Turns any command into an agent: the SDK takes assignments, task-process.ts runs each as
// a child process, and this module adds what a long-running process needs — resource
// sampling for heartbeats, lifecycle lines on stderr, and a graceful shutdown on signals.

import type { AgentCardInput } from "../lib/protocol";
import { compileTemplate } from "./command-template";
import { createMessageHandler } from "./message-handler";
import { createProcessTreeSampler } from "./process-tree-sampler";
import { connectAgent, type Agent, type AgentLogger } from "./sdk";
import { createTaskProcesses } from "./task-process";

export interface RunnerOptions {
  server: string;
  token: string;
  card: AgentCardInput;
  /** Argv template given after `--`; empty means "run the task's command with sh -c". */
  template: string[];
  /** How long running tasks may take to finish after SIGTERM/SIGINT before they are released. */
  drainTimeoutMs: number;
  killGraceMs?: number;
  logger?: AgentLogger;
  /** `--on-message`: shell command run per message; its stdout (if any) is sent as the reply. */
  onMessage?: string;
  /** `--messages-dir`: each message is also written there as `<seq>-<id>.json`. */
  messagesDir?: string;
  /** Time limit for one `--on-message` command. */
  onMessageTimeoutMs?: number;
}

/** One line per lifecycle event on stderr; stdout stays free for the commands' own use. */
export const stderrLogger: AgentLogger = {
  info: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
  warn: (message) => process.stderr.write(`${new Date().toISOString()} warning: ${message}\n`),
};

/** Runs until a signal or a fatal rejection; resolves with the process exit code. */
export async function runAgent(options: RunnerOptions): Promise<number> {
  const log = options.logger ?? stderrLogger;
  const killGraceMs = options.killGraceMs ?? 5_000;
  const template = options.template.length > 0 ? compileTemplate(options.template) : undefined;
  const processes = createTaskProcesses({ template, killGraceMs });
  const sampler = createProcessTreeSampler(() => processes.groups());

  // Messages are always handled: at least logged, then acked, so the mailbox does not grow.
  let agentId = "";
  const onMessage = createMessageHandler({
    onMessage: options.onMessage,
    messagesDir: options.messagesDir,
    commandTimeoutMs: options.onMessageTimeoutMs,
    agentId: () => agentId,
    env: { SWITCHBOARD_URL: options.server, SWITCHBOARD_TOKEN: options.token },
    log,
  });
  const agent = await connectAgent({
    server: options.server,
    token: options.token,
    card: { kind: "sdk", ...options.card },
    onTask: processes.handler,
    onMessage,
    resources: () => sampler.sample(),
    logger: log,
  });
  agentId = agent.agentId;
  agent.on("registered", (r) => (agentId = r.agentId));

  return new Promise<number>((resolve) => {
    let stopping: Promise<void> | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (!stopping) {
        log.info(`received ${signal}`);
        stopping = shutDown(agent, options.drainTimeoutMs, killGraceMs, log).then(() => resolve(0));
      } else {
        log.info(`received ${signal} again: releasing running tasks and exiting now`);
        void forceExit(agent, processes.killAll).then(() => resolve(130));
      }
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    void agent.stopped.then((error) => {
      if (error) {
        processes.killAll("SIGKILL");
        resolve(1);
      }
    });
  });
}

async function shutDown(agent: Agent, drainTimeoutMs: number, killGraceMs: number, log: AgentLogger) {
  const drained = await settlesWithin(agent.drain(), drainTimeoutMs);
  if (!drained) {
    const left = agent.runningTasks.length;
    log.info(`drain timeout (${drainTimeoutMs} ms) reached: stopping and releasing ${left} task${left === 1 ? "" : "s"}`);
    await agent.releaseAll("agent shut down before the task finished");
    // Releasing aborts the handlers, which SIGTERM their process groups; wait for them to go.
    await settlesWithin(agent.drain(), killGraceMs + 1_000);
  }
  await agent.close({ flushTimeoutMs: 5_000 });
}

async function forceExit(agent: Agent, killAll: (signal: NodeJS.Signals) => void) {
  const release = agent.releaseAll("agent was interrupted");
  killAll("SIGKILL");
  await settlesWithin(release, 2_000);
  await agent.close({ flushTimeoutMs: 1_000 });
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}
