// `switchboard send`, `broadcast`, `inbox` and `status`: agent messaging over REST, so they
// work from any shell (tmux scripts, `--on-message` commands). Rendering is in cli-messages-format.ts.

import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { importanceSchema, type Address, type MessageView, type SendMessageInput } from "../lib/messaging";
import { action, clientFrom, note, out, printJson, withConnection, type ConnectionFlags } from "./cli-common";
import { parseCapabilityFlag, parseIntFlag, parseJsonFlag, UsageError } from "./cli-flags";
import { agentStatus, findAgent, messageLine, sentLine } from "./cli-messages-format";
import { ApiError } from "./http-client";

interface SendFlags extends ConnectionFlags {
  capability?: string;
  channel?: string;
  importance?: string;
  replyTo?: string;
  data?: string;
  fromAgent?: string;
  json?: boolean;
}

/** "-" reads the body from stdin, for long or multi-line texts. */
function bodyFrom(text: string): string {
  if (text !== "-") return text;
  try {
    return readFileSync(0, "utf8").replace(/\n$/, "");
  } catch (error) {
    throw new UsageError(`cannot read the message from stdin: ${(error as Error).message}`);
  }
}

/** `send <agent> <text>`, or `send --capability X <text>` / `send --channel X <text>`. */
export function addressFrom(args: string[], flags: Pick<SendFlags, "capability" | "channel">): { to: Address; text: string } {
  if (flags.capability !== undefined && flags.channel !== undefined) throw new UsageError("give either --capability or --channel, not both");
  if (flags.capability !== undefined || flags.channel !== undefined) {
    if (args.length !== 1) throw new UsageError(`with --${flags.capability !== undefined ? "capability" : "channel"}, give only the text`);
    let to: Address;
    if (flags.capability !== undefined) {
      const cap = parseCapabilityFlag(flags.capability);
      to = { capability: cap.name, level: cap.level };
    } else to = { channel: flags.channel! };
    return { to, text: args[0] };
  }
  if (args.length !== 2) throw new UsageError('expected: switchboard send <agent-name-or-id> "<text>" (or --capability/--channel and the text)');
  return { to: { agent: args[0] }, text: args[1] };
}

function messageFrom(to: Address, text: string, flags: SendFlags): SendMessageInput {
  const input: SendMessageInput = { to, body: bodyFrom(text) };
  if (flags.importance !== undefined) input.importance = importanceSchema.parse(flags.importance);
  if (flags.replyTo !== undefined) input.replyTo = flags.replyTo;
  if (flags.data !== undefined) input.data = parseJsonFlag(flags.data, "--data");
  return input;
}

async function deliver(input: SendMessageInput, flags: SendFlags): Promise<number> {
  const client = clientFrom(flags);
  const fromAgent = flags.fromAgent ?? (process.env.SWITCHBOARD_AGENT_ID || undefined);
  const result = fromAgent ? await client.sendMessageAs(fromAgent, input) : await client.sendMessage(input);
  if (flags.json) printJson(result);
  else out(sentLine(result));
  return 0;
}

async function sendCommand(args: string[], flags: SendFlags): Promise<number> {
  const { to, text } = addressFrom(args, flags);
  return deliver(messageFrom(to, text, flags), flags);
}

async function broadcastCommand(text: string, flags: SendFlags): Promise<number> {
  return deliver(messageFrom({ broadcast: true }, text, flags), flags);
}

// ---- inbox ----

interface InboxFlags extends ConnectionFlags {
  agent?: string;
  after?: string;
  limit?: string;
  follow?: boolean;
  ack?: boolean;
  json?: boolean;
}

const LONG_POLL_S = 30;

async function inboxCommand(flags: InboxFlags): Promise<number> {
  const agentId = flags.agent ?? (process.env.SWITCHBOARD_AGENT_ID || undefined);
  if (!agentId) throw new UsageError("inbox needs --agent <id> (or SWITCHBOARD_AGENT_ID)");
  const client = clientFrom(flags);
  let after = flags.after === undefined ? 0 : parseIntFlag(flags.after, "--after", { min: 0 });
  const limit = flags.limit === undefined ? undefined : parseIntFlag(flags.limit, "--limit", { min: 1 });
  const print = (m: MessageView) => out(flags.json ? JSON.stringify(m) : messageLine(m));
  for (;;) {
    let messages: MessageView[];
    try {
      messages = await client.inbox(agentId, { after, limit, wait: flags.follow ? LONG_POLL_S : undefined });
    } catch (error) {
      // A follower outlives a server restart: say so once per failure and try again.
      if (!flags.follow || !(error instanceof ApiError) || error.code !== "UNAVAILABLE") throw error;
      note(`switchboard: ${error.message}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      continue;
    }
    messages.sort((a, b) => a.seq - b.seq).forEach(print);
    const last = messages.at(-1)?.seq;
    if (last !== undefined) {
      after = Math.max(after, last);
      if (flags.ack) await client.inboxAck(agentId, after);
    }
    if (!flags.follow) {
      if (messages.length === 0 && !flags.json) note("no unread messages");
      return 0;
    }
  }
}

// ---- status ----

async function statusCommand(key: string, flags: ConnectionFlags & { json?: boolean }): Promise<number> {
  const agents = await clientFrom(flags).agents();
  const agent = findAgent(agents, key);
  if (!agent) throw new UsageError(`no agent named or with id "${key}" (${agents.length} known: ${agents.map((a) => a.name).join(", ") || "none"})`);
  if (flags.json) printJson(agent);
  else out(agentStatus(agent));
  return 0;
}

// ---- wiring ----

function sendOptions(command: Command): Command {
  return command
    .addOption(new Option("--importance <level>", "how urgent").choices(importanceSchema.options))
    .option("--reply-to <messageId>", "the message this answers (joins its thread)")
    .option("--data <json>", "JSON data sent with the text")
    .option("--from-agent <agentId>", "send as this agent (needs its token; default $SWITCHBOARD_AGENT_ID, else as the token)")
    .option("--json", "print JSON");
}

export function registerMessageCommands(program: Command) {
  withConnection(
    sendOptions(
      program
        .command("send")
        .description('send a message: send <agent-name-or-id> "<text>", or send --capability <cap[:level]> / --channel <name> "<text>" ("-" reads the text from stdin)')
        .argument("<args...>", "[agent] text")
        .option("--capability <cap[:level]>", "to any one agent with this capability")
        .option("--channel <name>", "to every agent listening to this channel"),
    ),
  ).action(action(sendCommand));
  withConnection(sendOptions(program.command("broadcast").description("send a message to every agent").argument("<text>", 'the text ("-" reads stdin)'))).action(
    action(broadcastCommand),
  );
  withConnection(
    program
      .command("inbox")
      .description("print an agent's unread messages, one line each: #<seq> <time> <from> [<importance>] <body> (needs that agent's token)")
      .option("--agent <id>", "the agent (default $SWITCHBOARD_AGENT_ID)")
      .option("--after <seq>", "only messages after this seq")
      .option("--limit <n>", "at most this many per request")
      .option("--follow", "keep waiting for new messages")
      .option("--ack", "mark printed messages as read")
      .option("--json", "print one JSON object per message and line"),
  ).action(action(inboxCommand));
  withConnection(program.command("status").description("show an agent: status, slots, tasks, heartbeat, capabilities").argument("<agent>", "name or id").option("--json", "print JSON")).action(
    action(statusCommand),
  );
}
