// The `switchboard` command line: run an agent, submit and inspect tasks, create tokens;
// the workflow and run commands are in cli-workflow.ts.
// User errors print one sentence and exit non-zero; stack traces only with SWITCHBOARD_DEBUG=1.

import { readFileSync } from "node:fs";
import os from "node:os";
import { Command, Option } from "commander";
import { isTerminal, LIMITS, strategySchema, taskStatusSchema, type TaskSpecInput } from "../lib/protocol";
import { action, clientFrom, note, out, POLL_MS, printJson, withConnection, type ConnectionFlags } from "./cli-common";
import { resolveServer, resolveToken } from "./cli-env";
import { collect, labelsFrom, parseAcceptFromFlag, parseCapabilityFlag, parseDuration, parseIntFlag, parseJsonFlag, UsageError } from "./cli-flags";
import { logLine, taskDetail, taskTable } from "./cli-output";
import { registerMessageCommands } from "./cli-messages";
import { registerWorkflowCommands } from "./cli-workflow";
import { readPassword, registerLoginCommands } from "./cli-login";
import { createHttpClient, type HttpClient } from "./http-client";
import { newLogLines, START } from "./log-cursor";
import { runPoolHost } from "./pool-host";
import { runAgent } from "./runner";
import type { TmuxOptions } from "./tmux-bridge";
import { compileDoneMarker } from "./tmux-screen";
import { TOKEN_SCOPES, type TokenScope } from "../lib/policy";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** Agent names must be identifiers; a host name usually is, after replacing stray characters. */
function defaultAgentName(): string {
  return os.hostname().replace(/[^A-Za-z0-9._:-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, LIMITS.nameLength) || "agent";
}

// ---- agent ----

interface AgentFlags extends ConnectionFlags {
  name: string;
  capability: string[];
  label: string[];
  slots: string;
  drainTimeout: string;
  channel: string[];
  acceptFrom: string[];
  onMessage?: string;
  messagesDir?: string;
  onMessageTimeout: string;
  tmuxTarget?: string;
  tmuxSocket?: string;
  doneMarker?: string;
  doneEcho: boolean;
  taskTimeout: string;
}

/** `--tmux-target` turns the agent into the legacy tmux bridge (agent/tmux-bridge.ts). */
function tmuxOptionsFrom(template: string[], flags: AgentFlags): TmuxOptions | undefined {
  if (flags.tmuxTarget === undefined) {
    if (flags.tmuxSocket !== undefined || flags.doneMarker !== undefined || !flags.doneEcho) throw new UsageError("--tmux-socket, --done-marker and --no-done-echo need --tmux-target");
    return undefined;
  }
  if (template.length > 0) throw new UsageError("--tmux-target types each task into the pane: it takes no command template");
  if (flags.onMessage !== undefined) throw new UsageError("--tmux-target types messages into the pane: it cannot be combined with --on-message");
  let doneMarker: RegExp | undefined;
  if (flags.doneMarker !== undefined) {
    try {
      doneMarker = compileDoneMarker(flags.doneMarker);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    target: flags.tmuxTarget,
    socket: flags.tmuxSocket,
    doneMarker,
    doneEcho: flags.doneEcho,
    taskTimeoutMs: parseDuration(flags.taskTimeout, "--task-timeout"),
  };
}

async function agentCommand(template: string[], flags: AgentFlags): Promise<number> {
  const code = await runAgent({
    server: resolveServer(flags.server),
    token: resolveToken(flags.token, resolveServer(flags.server)),
    card: {
      name: flags.name,
      capabilities: flags.capability.map(parseCapabilityFlag),
      labels: labelsFrom(flags.label),
      channels: flags.channel,
      acceptFrom: flags.acceptFrom.map(parseAcceptFromFlag),
      slots: parseIntFlag(flags.slots, "--slots", { min: 1, max: LIMITS.slots }),
      version: VERSION,
    },
    template,
    drainTimeoutMs: parseDuration(flags.drainTimeout, "--drain-timeout"),
    onMessage: flags.onMessage,
    messagesDir: flags.messagesDir,
    onMessageTimeoutMs: parseDuration(flags.onMessageTimeout, "--on-message-timeout"),
    tmux: tmuxOptionsFrom(template, flags),
  });
  // Sockets and timers may still hold the event loop; the agent is done, so leave now.
  process.exit(code);
}

async function poolHostCommand(flags: ConnectionFlags & { name: string; max: string; pool: string[] }): Promise<number> {
  const server = resolveServer(flags.server);
  const code = await runPoolHost({ server, token: resolveToken(flags.token, server), name: flags.name, max: parseIntFlag(flags.max, "--max", { min: 0, max: 10_000 }), pools: flags.pool });
  process.exit(code);
}

// ---- task ----

interface SubmitFlags extends ConnectionFlags {
  title: string;
  command?: string;
  payload?: string;
  require: string[];
  label: string[];
  priority?: string;
  strategy?: string;
  timeout?: string;
  retries?: string;
  idempotencyKey?: string;
  wait?: boolean;
  json?: boolean;
}

function specFrom(flags: SubmitFlags): TaskSpecInput {
  const spec: TaskSpecInput = {
    title: flags.title,
    requires: flags.require.map(parseCapabilityFlag),
    labels: labelsFrom(flags.label),
  };
  if (flags.command !== undefined) spec.command = flags.command;
  if (flags.payload !== undefined) spec.payload = parseJsonFlag(flags.payload, "--payload");
  if (flags.priority !== undefined) spec.priority = parseIntFlag(flags.priority, "--priority", { min: -1000, max: 1000 });
  if (flags.strategy !== undefined) {
    const strategy = strategySchema.safeParse(flags.strategy);
    if (!strategy.success) throw new UsageError(`invalid --strategy "${flags.strategy}": expected one of ${strategySchema.options.join(", ")}`);
    spec.strategy = strategy.data;
  }
  if (flags.timeout !== undefined) spec.timeoutMs = parseIntFlag(flags.timeout, "--timeout", { min: 100 });
  // --retries counts retries after the first attempt, so 0 means "run once".
  if (flags.retries !== undefined) spec.retry = { maxAttempts: parseIntFlag(flags.retries, "--retries", { min: 0, max: 99 }) + 1 };
  if (flags.idempotencyKey !== undefined) spec.idempotencyKey = flags.idempotencyKey;
  return spec;
}

async function submitCommand(flags: SubmitFlags): Promise<number> {
  const client = clientFrom(flags);
  const task = await client.submit(specFrom(flags));
  if (!flags.wait) {
    if (flags.json) printJson(task);
    else out(`submitted ${task.id} (${task.status})`);
    return 0;
  }
  if (!flags.json) note(`submitted ${task.id}; following until it ends (Ctrl-C stops following, not the task)`);
  return follow(client, task.id, flags.json ?? false);
}

/** Polls the task until it ends, printing new log lines; exit code 0 only for success. */
async function follow(client: HttpClient, taskId: string, json: boolean): Promise<number> {
  let cursor = START;
  let lastState = "";
  for (;;) {
    const detail = await client.get(taskId);
    const { task } = detail;
    const fresh = newLogLines(cursor, detail.logs);
    cursor = fresh.cursor;
    if (!json) {
      fresh.lines.forEach((l) => out(logLine(l)));
      const state = detail.waiting && !isTerminal(task.status) ? `${task.status}: ${detail.waiting.message}` : task.status;
      if (state !== lastState) note(`[${task.id}] ${state}`);
      lastState = state;
    }
    if (isTerminal(task.status)) {
      if (json) printJson(detail);
      else if (task.status === "succeeded") note(`result: ${JSON.stringify(task.result)}`);
      else if (task.error) note(`error: ${task.error}`);
      return task.status === "succeeded" ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface ListFlags extends ConnectionFlags {
  status?: string;
  agent?: string;
  limit?: string;
  json?: boolean;
}

async function listCommand(flags: ListFlags): Promise<number> {
  let status;
  if (flags.status !== undefined) {
    const parsed = taskStatusSchema.safeParse(flags.status);
    if (!parsed.success) throw new UsageError(`invalid --status "${flags.status}": expected one of ${taskStatusSchema.options.join(", ")}`);
    status = parsed.data;
  }
  const limit = flags.limit === undefined ? undefined : parseIntFlag(flags.limit, "--limit", { min: 1 });
  const tasks = await clientFrom(flags).list({ status, agentId: flags.agent, limit });
  if (flags.json) printJson(tasks);
  else out(taskTable(tasks));
  return 0;
}

async function getCommand(taskId: string, flags: ConnectionFlags & { json?: boolean }): Promise<number> {
  const detail = await clientFrom(flags).get(taskId);
  if (flags.json) printJson(detail);
  else out(taskDetail(detail));
  return 0;
}

function changeCommand(verb: "cancel" | "retry") {
  return async (taskId: string, flags: ConnectionFlags & { json?: boolean }): Promise<number> => {
    const client = clientFrom(flags);
    const task = verb === "cancel" ? await client.cancel(taskId) : await client.retry(taskId);
    if (flags.json) printJson(task);
    else out(`${task.id}: ${task.status}`);
    return 0;
  };
}

// ---- token ----

interface TokenFlags extends ConnectionFlags {
  name: string;
  scope: TokenScope;
  expiresInDays?: string;
  canSubmit?: boolean;
  user?: string;
  password?: string;
  json?: boolean;
}

async function tokenCreateCommand(flags: TokenFlags): Promise<number> {
  const server = resolveServer(flags.server);
  const expiresInDays = flags.expiresInDays === undefined ? undefined : parseIntFlag(flags.expiresInDays, "--expires-in-days", { min: 1 });
  if (flags.canSubmit && flags.scope !== "agent") throw new UsageError("--can-submit is for agent tokens: scopes submit and admin submit already");
  let created;
  if (flags.user !== undefined) {
    // Name and password → the token itself, in one call (no session, no cookie to send back).
    const password = flags.password ?? process.env.SWITCHBOARD_PASSWORD ?? (await readPassword(`Password for ${flags.user} at ${server}: `));
    if (flags.canSubmit) throw new UsageError("--can-submit needs an admin's token (log in first, then run token create without --user)");
    created = await createHttpClient({ server, retryBudgetMs: 0 }).exchangeToken({ username: flags.user, password, name: flags.name, scope: flags.scope, expiresInDays });
  } else {
    const client = createHttpClient({ server, token: resolveToken(flags.token, server) });
    created = await client.tokenCreate({ name: flags.name, scope: flags.scope, canSubmit: flags.canSubmit ?? false, expiresInDays });
  }
  if (flags.json) {
    printJson(created);
    return 0;
  }
  // Only the secret goes to stdout, so `SECRET=$(switchboard token create ...)` works.
  note(`created ${created.token.scope}${created.token.canSubmit ? " (may submit)" : ""} token "${created.token.name}" (${created.token.id}); the secret is shown only once:`);
  out(created.secret);
  return 0;
}

// ---- wiring ----

function buildProgram(): Command {
  const program = new Command("switchboard")
    .description("Switchboard: run agents, submit and inspect tasks, run workflows.")
    .version(VERSION)
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)");

  withConnection(
    program
      .command("agent")
      .description("connect as an agent and run each task as a process: the template after -- or else the task's command with sh -c")
      .argument("[template...]", "argv template, e.g. -- ./build.sh {{payload.target}}; placeholders {{task.id}} {{task.title}} {{task.attempt}} {{command}} {{payload}} {{payload.field}}")
      .passThroughOptions()
      .option("--name <name>", "agent name; the same name reconnects as the same agent", defaultAgentName())
      .option("--capability <cap[:level]>", "capability offered, repeatable (e.g. typescript:3)", collect, [])
      .option("--label <key=value>", "label, repeatable (e.g. region=eu)", collect, [])
      .option("--slots <n>", "tasks run at the same time", "1")
      .option("--drain-timeout <duration>", "on SIGTERM/SIGINT, how long running tasks may finish before they are released", "30s")
      .option("--channel <name>", "message channel to listen to, repeatable", collect, [])
      .option(
        "--accept-from <rule>",
        "run only tasks from this submitter, repeatable: role:admin, role:operator, user:<name>, token:<name>, workflow:<template> or workflow:* (default: anyone's)",
        collect,
        [],
      )
      .option(
        "--on-message <command>",
        "run this shell command for each message (message JSON on stdin, SWITCHBOARD_MESSAGE_ID/SEQ/FROM/BODY/THREAD in env); its stdout, if any, is sent as the reply",
      )
      .option("--messages-dir <dir>", "also write each message to <dir>/<seq>-<id>.json")
      .option("--on-message-timeout <duration>", "time limit for one --on-message command", "5m")
      .option("--tmux-target <session:window.pane>", "legacy bridge: type each task's command (or title) and each message into this tmux pane and stream its output")
      .option("--tmux-socket <name>", "tmux server socket name for --tmux-target (tmux -L <name>)")
      .option("--done-marker <regex>", "with --tmux-target: a pane line matching this ends the task; group 1 is the exit code (default: ^__SWITCHBOARD_DONE__(?: (\\d+))?$)")
      .option("--no-done-echo", "with --tmux-target: do not type `; echo __SWITCHBOARD_DONE__ $?` after each command")
      .option("--task-timeout <duration>", "with --tmux-target: fail a task without a done marker after this long", "10m"),
  ).action(action(agentCommand));

  withConnection(
    program
      .command("pool-host")
      .description("run the agents of `host` pools on this machine, started and stopped on the coordinator's command")
      .option("--name <name>", "this host's name (default: the machine's hostname)", os.hostname())
      .option("--max <n>", "at most this many agents at once here", "4")
      .option("--pool <name>", "serve only this pool, repeatable (default: every host pool)", collect, []),
  ).action(action(poolHostCommand));

  const task = program.command("task").description("submit and inspect tasks");
  withConnection(
    task
      .command("submit")
      .description("submit a task")
      .requiredOption("--title <title>", "what the task is")
      .option("--command <command>", "shell command for command-running agents")
      .option("--payload <json>", "JSON payload")
      .option("--require <cap[:level]>", "required capability, repeatable", collect, [])
      .option("--label <key=value>", "required agent label, repeatable", collect, [])
      .option("--priority <n>", "higher runs first (-1000..1000)")
      .option("--strategy <name>", `balancing strategy: ${strategySchema.options.join(", ")}`)
      .option("--timeout <ms>", "time limit per attempt in milliseconds")
      .option("--retries <n>", "retries after a failed first attempt")
      .option("--idempotency-key <key>", "submitting the same key again returns the same task")
      .option("--wait", "follow the task until it ends; exit 0 only if it succeeded")
      .option("--json", "print JSON"),
  ).action(action(submitCommand));
  withConnection(
    task
      .command("list")
      .description("list tasks")
      .option("--status <status>", `only this status: ${taskStatusSchema.options.join(", ")}`)
      .option("--agent <agentId>", "only tasks of this agent")
      .option("--limit <n>", "at most this many")
      .option("--json", "print JSON"),
  ).action(action(listCommand));
  withConnection(task.command("get").description("show a task: status, why it waits, events and logs").argument("<id>").option("--json", "print JSON")).action(
    action(getCommand),
  );
  withConnection(task.command("cancel").description("cancel a task").argument("<id>").option("--json", "print JSON")).action(action(changeCommand("cancel")));
  withConnection(task.command("retry").description("run a failed, dead or canceled task again").argument("<id>").option("--json", "print JSON")).action(
    action(changeCommand("retry")),
  );

  const token = program.command("token").description("manage API tokens");
  withConnection(
    token
      .command("create")
      .description("create an API token and print its secret once")
      .requiredOption("--name <name>", "what the token is for")
      .addOption(new Option("--scope <scope>", "agent (act as its agents), submit (submit and change work), read, admin").choices([...TOKEN_SCOPES]).default("agent"))
      .option("--expires-in-days <n>", "expire after this many days")
      .option("--can-submit", "an agent token that may also submit tasks (agents do not by default)")
      .option("--user <username>", "create it with this user's password instead of the saved login or --token")
      .option("--password <password>", "password for --user (default: asked, or $SWITCHBOARD_PASSWORD)")
      .option("--json", "print JSON"),
  ).action(action(tokenCreateCommand));

  registerLoginCommands(program);
  registerWorkflowCommands(program);
  registerMessageCommands(program);

  return program;
}

await buildProgram().parseAsync(process.argv);
