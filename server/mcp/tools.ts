// The MCP tools: what an AI agent can do through /mcp. Each tool runs as the caller's API token
// and is a few lines over one service operation (server/services), which checks the token's
// permission for it and, for tools that act "as me", that the named agent is this token's.
import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { agentCardSchema, completeSchema, failSchema, heartbeatSchema, progressSchema, releaseSchema, taskSpecSchema, type Assignment } from "@/lib/protocol";
import { ackMessagesSchema, addressSchema, importanceSchema, sendMessageSchema } from "@/lib/messaging";
import { MCP_OPERATIONS } from "@/lib/policy";
import type { VerifiedToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { parseWith } from "@/server/http/json";
import { log } from "@/server/log";
import type { Caller, ServiceContext } from "@/server/services/context";
import * as agentProtocol from "@/server/services/agent-protocol";
import * as agents from "@/server/services/agents";
import * as tasks from "@/server/services/tasks";
import * as workflows from "@/server/services/workflows";

export const MCP_TOOL_NAMES = Object.keys(MCP_OPERATIONS) as (keyof typeof MCP_OPERATIONS)[];

const ok = (value: unknown): CallToolResult => ({ content: [{ type: "text", text: JSON.stringify(value) }] });

/**
 * Runs a tool body after the gate (the tool's operation against the token); AppErrors become
 * tool errors the model can read, anything else is logged and hidden.
 */
async function run(svc: ServiceContext, caller: Caller, name: string, fn: () => Promise<unknown> | unknown): Promise<CallToolResult> {
  try {
    const op = MCP_OPERATIONS[name];
    if (!op) throw new AppError("FORBIDDEN", `No authorization rule for tool ${name}; refusing.`);
    svc.authorize(caller, op);
    return ok(await fn());
  } catch (e) {
    if (e instanceof AppError) return { isError: true, content: [{ type: "text", text: `${e.code}: ${e.message}` }] };
    log.error("mcp tool failed", { tool: name, err: String((e as Error)?.stack ?? e) });
    return { isError: true, content: [{ type: "text", text: "INTERNAL: unexpected server error." }] };
  }
}

const agentArg = z.string().min(1).max(64).describe("Your agent's name or id (registered with this token).");

/** What one MCP request hands out, so the endpoint can give it back if the answer is never delivered. */
export interface McpRequestScope {
  /** Aborts when the caller's connection closes (a long-polling claim is withdrawn at once). */
  signal: AbortSignal;
  claimed: { agentId: string; tasks: Assignment[] }[];
}

/** An MCP agent thinks between calls for much longer than a runner between heartbeats. */
const MCP_DEFAULT_LEASE_S = 120;

export function registerTools(server: McpServer, svc: ServiceContext, caller: Caller & { token: VerifiedToken }, scope: McpRequestScope = { signal: new AbortController().signal, claimed: [] }) {
  const me = (agent: string) => agentProtocol.ownAgent(svc, caller, agent);
  const tool = (name: string, fn: () => Promise<unknown> | unknown) => run(svc, caller, name, fn);

  server.registerTool(
    "register_agent",
    {
      description: "Register (or re-attach) an agent under this token. Call this first; other tools take its name as `agent`.",
      inputSchema: {
        name: z.string().describe("Unique agent name: letters, digits, '.', '_', ':' or '-'."),
        capabilities: z.array(z.string()).optional().describe('Capabilities as "name" or "name:level" (1..5).'),
        labels: z.record(z.string(), z.string()).optional().describe('Labels tasks can select, e.g. {"region": "eu"}.'),
        slots: z.number().int().min(1).max(64).optional().describe("Tasks it works on at once (default 1)."),
        channels: z.array(z.string()).optional().describe("Message channels to listen to."),
        acceptFrom: z.array(z.string()).optional().describe("Only take tasks from these submitters: role:admin, user:<name>, token:<name>, workflow:<template>."),
        leaseTtlSeconds: z
          .number()
          .int()
          .min(6)
          .max(3600)
          .optional()
          .describe(`How long you may go without calling heartbeat (or claim_task) before your work is given to another agent (default ${MCP_DEFAULT_LEASE_S}).`),
      },
    },
    ({ leaseTtlSeconds, ...args }) =>
      tool("register_agent", async () => {
        const card = parseWith(agentCardSchema, { ...args, kind: "mcp", leaseTtlMs: (leaseTtlSeconds ?? MCP_DEFAULT_LEASE_S) * 1000 });
        const r = await agentProtocol.registerAgent(svc, caller, card, "mcp");
        return { agentId: r.agentId, leaseTtlSeconds: r.leaseTtlMs / 1000, heartbeatEverySeconds: Math.max(1, Math.floor(r.leaseTtlMs / 3000)) };
      }),
  );

  server.registerTool(
    "claim_task",
    {
      description:
        "Wait for work for your agent and take it: returns the tasks assigned to you, already started (status running), each with the `attempt` number every later report must carry. With waitSeconds, waits up to that long for a task (long-poll); an empty list means none came. Then report_progress, and complete_task or fail_task.",
      inputSchema: { agent: agentArg, waitSeconds: z.number().min(0).max(30).optional().describe("How long to wait for a task (default 20).") },
    },
    ({ agent, waitSeconds }) =>
      tool("claim_task", async () => {
        const id = await me(agent);
        const claimed = await agentProtocol.claim(svc, caller, id, (waitSeconds ?? 20) * 1000, scope.signal);
        if (scope.signal.aborted) {
          // The caller hung up while a batch was handing it work: give the work straight back.
          await agentProtocol.returnUndelivered(svc, id, claimed);
          return { tasks: [] };
        }
        scope.claimed.push({ agentId: id, tasks: claimed });
        // An MCP agent has no separate accept step: what it claims, it works on.
        for (const t of claimed) await agentProtocol.accept(svc, caller, t, id).catch(() => {});
        return { tasks: claimed.map((t) => ({ ...t, status: "running" })) };
      }),
  );

  server.registerTool(
    "heartbeat",
    {
      description:
        "Tell the server your agent is alive and still working on its tasks (renews their leases). Call it at least every heartbeatEverySeconds from register_agent. Returns tasks you must stop.",
      inputSchema: { agent: agentArg, taskIds: z.array(z.string()).optional().describe("The tasks you are working on, so the server can tell you which to stop.") },
    },
    ({ agent, taskIds }) => tool("heartbeat", async () => ({ cancel: await agentProtocol.heartbeat(svc, caller, await me(agent), parseWith(heartbeatSchema, { taskIds })) })),
  );

  server.registerTool(
    "fail_task",
    {
      description: "Report that a task your agent holds failed. retryable=false when retrying cannot help (bad input); otherwise it is retried, preferring another agent.",
      inputSchema: { taskId: z.string(), attempt: z.number().int().min(1), error: z.string(), retryable: z.boolean().optional(), result: z.unknown().optional() },
    },
    (args) => tool("fail_task", async () => (await agentProtocol.fail(svc, caller, parseWith(failSchema, args)), { ok: true })),
  );

  server.registerTool(
    "release_task",
    {
      description: "Give a task back untouched (you cannot do it now); it is requeued for another agent without counting as a failed attempt.",
      inputSchema: { taskId: z.string(), attempt: z.number().int().min(1), reason: z.string().optional() },
    },
    (args) => tool("release_task", async () => (await agentProtocol.release(svc, caller, parseWith(releaseSchema, args)), { ok: true })),
  );

  server.registerTool(
    "stop_agent",
    { description: "Your agent stops: it shows offline (stopped by its owner) at once and gets no more work. Release or finish its tasks first.", inputSchema: { agent: agentArg } },
    ({ agent }) => tool("stop_agent", async () => (await agentProtocol.stop(svc, caller, await me(agent)), { ok: true })),
  );

  server.registerTool("list_agents", { description: "Every known agent: name, status, capabilities and current tasks." }, () =>
    tool("list_agents", async () => ({
      agents: (await agents.findAgents(svc, caller)).map((a) => ({ id: a.id, name: a.name, status: a.status, capabilities: a.capabilities, currentTasks: a.currentTasks })),
    })),
  );

  server.registerTool(
    "send_message",
    {
      description: "Send a message as your agent to an agent, everyone (broadcast), any one agent with a capability, or a channel.",
      inputSchema: {
        agent: agentArg,
        to: addressSchema.describe('{"agent": name} | {"broadcast": true} | {"capability": name, "level"?: 1..5} | {"channel": name}'),
        body: z.string(),
        replyTo: z.string().optional().describe("Id of the message this answers."),
        importance: importanceSchema.optional(),
      },
    },
    ({ agent, ...msg }) => tool("send_message", async () => agentProtocol.send(svc, caller, await me(agent), parseWith(sendMessageSchema, msg))),
  );

  server.registerTool(
    "read_inbox",
    {
      description:
        "Unacknowledged messages for your agent, oldest first. With waitSeconds, waits up to that long for one to arrive when there is none (long-poll). Acknowledge with ack_messages once handled.",
      inputSchema: {
        agent: agentArg,
        after: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        waitSeconds: z.number().min(0).max(30).optional(),
      },
    },
    ({ agent, after, limit, waitSeconds }) =>
      tool("read_inbox", async () => ({ messages: await agentProtocol.inbox(svc, caller, await me(agent), { after: after ?? 0, limit: limit ?? 100, waitMs: (waitSeconds ?? 0) * 1000 }) })),
  );

  server.registerTool(
    "ack_messages",
    { description: "Mark every message up to and including seq `upTo` as handled.", inputSchema: { agent: agentArg, upTo: z.number().int().min(0) } },
    ({ agent, upTo }) => tool("ack_messages", async () => ({ acked: await agentProtocol.ack(svc, caller, await me(agent), parseWith(ackMessagesSchema, { upTo }).upTo) })),
  );

  server.registerTool(
    "create_task",
    {
      description: "Submit a task for the fleet; returns the task. Needs a token that may submit (agent tokens do not, unless made with canSubmit).",
      inputSchema: {
        title: z.string(),
        command: z.string().optional(),
        payload: z.unknown().optional(),
        requires: z.array(z.string()).optional().describe('Required capabilities, "name" or "name:level".'),
        labels: z.record(z.string(), z.string()).optional(),
        priority: z.number().int().optional(),
      },
    },
    (args) => tool("create_task", async () => ({ task: (await tasks.submitTasks(svc, caller, [parseWith(taskSpecSchema, args)]))[0] })),
  );

  server.registerTool("get_task", { description: "A task with its history, log and why it waits.", inputSchema: { id: z.string().min(1).max(64) } }, ({ id }) =>
    tool("get_task", () => tasks.getTask(svc, caller, id)),
  );

  server.registerTool(
    "report_progress",
    {
      description: "Report progress on a task your agent holds (attempt is the number claim_task gave); it also renews the task's lease.",
      inputSchema: {
        taskId: z.string(),
        attempt: z.number().int().min(1),
        percent: z.number().min(0).max(100).optional(),
        message: z.string().optional(),
        logs: z.array(z.string()).optional(),
      },
    },
    ({ logs, ...rest }) =>
      tool("report_progress", async () => (await agentProtocol.progress(svc, caller, parseWith(progressSchema, { ...rest, logs: (logs ?? []).map((line) => ({ line })) })), { ok: true })),
  );

  server.registerTool(
    "complete_task",
    {
      description: "Finish a task your agent holds successfully, with an optional JSON result.",
      inputSchema: { taskId: z.string(), attempt: z.number().int().min(1), result: z.unknown().optional() },
    },
    (args) => tool("complete_task", async () => (await agentProtocol.complete(svc, caller, parseWith(completeSchema, args)), { ok: true })),
  );

  server.registerTool("get_workflow_run", { description: "A workflow run with every step.", inputSchema: { id: z.string().min(1).max(64) } }, ({ id }) =>
    tool("get_workflow_run", async () => ({ run: await workflows.getRun(svc, caller, id) })),
  );
}
