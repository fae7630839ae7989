// Turns any command into an agent: the SDK takes assignments, task-process.ts runs each as
// a child process, and this module adds what a long-running process needs — resource
// sampling for heartbeats, lifecycle lines on stderr, and a graceful shutdown on signals.

import type { AgentCardInput } from "../lib/protocol";
import { compileTemplate } from "./command-template";
import { createMessageHandler } from "./message-handler";
import { createProcessTreeSampler } from "./process-tree-sampler";
import { connectAgent, type Agent, type AgentLogger } from "./sdk";
import { createTaskProcesses } from "./task-process";
import { createTmuxBridge, TmuxError, type TmuxOptions } from "./tmux-bridge";

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
  /** `--tmux-target` and friends: run tasks by typing them into a tmux pane (card kind "legacy"). */
  tmux?: TmuxOptions;
}

/** One line per lifecycle event on stderr; stdout stays free for the commands' own use. */
export const stderrLogger: AgentLogger = {
  info: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
  warn: (message) => process.stderr.write(`${new Date().toISOString()} warning: ${message}\n`),
};

/** Runs until a signal or a fatal rejection; resolves with the process exit code. */
export async function runAgent(options: RunnerOptions): Promise<number> {
  const log = options.logger ?? stderrLogger;
  if (options.tmux) return runTmuxAgent(options, options.tmux, log);
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
    env: { SWITCHBOARD_SERVER: options.server, SWITCHBOARD_TOKEN: options.token },
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

  return untilStopped(agent, options, killGraceMs, log, processes.killAll);
}

/** The legacy bridge: one pane, so one task at a time; the pane must exist before connecting. */
async function runTmuxAgent(options: RunnerOptions, tmux: TmuxOptions, log: AgentLogger): Promise<number> {
  const bridge = createTmuxBridge(tmux);
  try {
    await bridge.check();
  } catch (error) {
    if (!(error instanceof TmuxError)) throw error;
    process.stderr.write(`switchboard: ${error.message}\n`);
    return 2;
  }
  if ((options.card.slots ?? 1) > 1) log.warn(`a tmux pane runs one task at a time: --slots ${options.card.slots} is ignored`);
  const agent = await connectAgent({
    server: options.server,
    token: options.token,
    card: { ...options.card, kind: "legacy", slots: 1 },
    onTask: bridge.onTask,
    onMessage: bridge.onMessage,
    logger: log,
  });
  log.info(`bridging tasks to tmux pane ${tmux.target}${tmux.socket ? ` (socket ${tmux.socket})` : ""}`);
  return untilStopped(agent, options, options.killGraceMs ?? 5_000, log, () => void bridge.interrupt().catch(() => undefined));
}

function untilStopped(agent: Agent, options: RunnerOptions, killGraceMs: number, log: AgentLogger, killAll: (signal: NodeJS.Signals) => void) {
  return new Promise<number>((resolve) => {
    let stopping: Promise<void> | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (!stopping) {
        log.info(`received ${signal}`);
        stopping = shutDown(agent, options.drainTimeoutMs, killGraceMs, log).then(() => resolve(0));
      } else {
        log.info(`received ${signal} again: releasing running tasks and exiting now`);
        void forceExit(agent, killAll).then(() => resolve(130));
      }
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    void agent.stopped.then((error) => {
      if (error) {
        killAll("SIGKILL");
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
