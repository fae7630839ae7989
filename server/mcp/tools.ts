// The MCP tools: what an AI agent can do through /mcp. Each tool runs as the caller's API token;
// tools that act "as me" name an agent (name or id) registered with that same token.
import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { agentCardSchema, completeSchema, progressSchema, taskSpecSchema } from "@/lib/protocol";
import { ackMessagesSchema, addressSchema, importanceSchema, sendMessageSchema } from "@/lib/messaging";
import type { VerifiedToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { MCP_RULES, can, deniedMessage } from "@/lib/policy";
import { parseWith } from "@/server/http/json";
import { log } from "@/server/log";
import type { RestDeps } from "@/server/http/rest-v1";

export const MCP_TOOL_NAMES = [
  "register_agent",
  "list_agents",
  "send_message",
  "read_inbox",
  "ack_messages",
  "create_task",
  "get_task",
  "report_progress",
  "complete_task",
  "get_workflow_run",
] as const;

const ok = (value: unknown): CallToolResult => ({ content: [{ type: "text", text: JSON.stringify(value) }] });

/**
 * Runs a tool body after the gateway's check (the tool's rule in lib/policy.ts MCP_RULES against
 * the token's scope); AppErrors become tool errors the model can read, anything else is logged
 * and hidden.
 */
async function run(token: VerifiedToken, name: string, fn: () => Promise<unknown> | unknown): Promise<CallToolResult> {
  try {
    const rule = MCP_RULES[name];
    if (!rule) throw new AppError("FORBIDDEN", `No authorization rule for tool ${name}; refusing.`);
    if (!can({ kind: "token", scope: token.scope }, rule)) throw new AppError("FORBIDDEN", deniedMessage({ kind: "token", scope: token.scope }, rule));
    return ok(await fn());
  } catch (e) {
    if (e instanceof AppError) return { isError: true, content: [{ type: "text", text: `${e.code}: ${e.message}` }] };
    log.error("mcp tool failed", { tool: name, err: String((e as Error)?.stack ?? e) });
    return { isError: true, content: [{ type: "text", text: "INTERNAL: unexpected server error." }] };
  }
}

const agentArg = z.string().min(1).max(64).describe("Your agent's name or id (registered with this token).");

export function registerTools(server: McpServer, deps: RestDeps, token: VerifiedToken) {
  const c = deps.coordinator;

  /** Name or id → id of an agent owned by this token. */
  const me = (agent: string): string => {
    const id = c.scheduler.agents.has(agent) ? agent : (c.scheduler.agentByName(agent)?.id ?? agent);
    c.agentOwnedBy(id, token.id);
    return id;
  };
  /** Same as REST `holderOf`: the task's holder, which must belong to this token. */
  const holderOf = (taskId: string): string => {
    const t = c.scheduler.tasks.get(taskId);
    if (!t || !t.agentId) throw new AppError("STALE_ATTEMPT", `Task ${taskId} is not assigned to any agent now (it may have finished, been canceled or reassigned).`);
    c.agentOwnedBy(t.agentId, token.id);
    return t.agentId;
  };

  server.registerTool(
    "register_agent",
    {
      description: "Register (or re-attach) an agent under this token. Call this first; other tools take its name as `agent`.",
      inputSchema: {
        name: z.string().describe("Unique agent name: letters, digits, '.', '_', ':' or '-'."),
        capabilities: z.array(z.string()).optional().describe('Capabilities as "name" or "name:level" (1..5).'),
        channels: z.array(z.string()).optional().describe("Message channels to listen to."),
      },
    },
    (args) =>
      run(token, "register_agent", async () => {
        const card = parseWith(agentCardSchema, { ...args, kind: "http" });
        const r = await c.registerAgent(card, token, "http");
        return { agentId: r.agentId };
      }),
  );

  server.registerTool(
    "list_agents",
    { description: "Every known agent: name, status, capabilities and current tasks." },
    () =>
      run(token, "list_agents", () => ({
        agents: c.agentViews().map((a) => ({ id: a.id, name: a.name, status: a.status, capabilities: a.capabilities, currentTasks: a.currentTasks })),
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
    ({ agent, ...msg }) => run(token, "send_message", () => deps.messages.send({ agentId: me(agent) }, parseWith(sendMessageSchema, msg))),
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
      run(token, "read_inbox", async () => ({ messages: await deps.messages.inbox(me(agent), after ?? 0, limit ?? 100, (waitSeconds ?? 0) * 1000) })),
  );

  server.registerTool(
    "ack_messages",
    { description: "Mark every message up to and including seq `upTo` as handled.", inputSchema: { agent: agentArg, upTo: z.number().int().min(0) } },
    ({ agent, upTo }) =>
      run(token, "ack_messages", async () => ({ acked: await deps.messages.ack(me(agent), parseWith(ackMessagesSchema, { upTo }).upTo) })),
  );

  server.registerTool(
    "create_task",
    {
      description: "Submit a task for the fleet; returns the task.",
      inputSchema: {
        title: z.string(),
        command: z.string().optional(),
        payload: z.unknown().optional(),
        requires: z.array(z.string()).optional().describe('Required capabilities, "name" or "name:level".'),
        labels: z.record(z.string(), z.string()).optional(),
        priority: z.number().int().optional(),
      },
    },
    (args) =>
      run(token, "create_task", async () => {
        const [t] = await c.submit([parseWith(taskSpecSchema, args)]);
        return { task: c.taskView(t) };
      }),
  );

  server.registerTool(
    "get_task",
    { description: "A task with its history, log and why it waits.", inputSchema: { id: z.string().min(1).max(64) } },
    ({ id }) => run(token, "get_task", () => c.taskDetail(id)),
  );

  server.registerTool(
    "report_progress",
    {
      description: "Report progress on a task your agent holds (attempt is the fencing number from the claim).",
      inputSchema: {
        taskId: z.string(),
        attempt: z.number().int().min(1),
        percent: z.number().min(0).max(100).optional(),
        message: z.string().optional(),
        logs: z.array(z.string()).optional(),
      },
    },
    ({ logs, ...rest }) =>
      run(token, "report_progress", async () => {
        const r = parseWith(progressSchema, { ...rest, logs: (logs ?? []).map((line) => ({ line })) });
        await c.progress(holderOf(r.taskId), r);
        return { ok: true };
      }),
  );

  server.registerTool(
    "complete_task",
    {
      description: "Finish a task your agent holds successfully, with an optional JSON result.",
      inputSchema: { taskId: z.string(), attempt: z.number().int().min(1), result: z.unknown().optional() },
    },
    (args) =>
      run(token, "complete_task", async () => {
        const r = parseWith(completeSchema, args);
        await c.complete(holderOf(r.taskId), r.taskId, r.attempt, r.result);
        return { ok: true };
      }),
  );

  server.registerTool(
    "get_workflow_run",
    { description: "A workflow run with every step.", inputSchema: { id: z.string().min(1).max(64) } },
    ({ id }) => run(token, "get_workflow_run", async () => ({ run: await deps.workflows.getRun(id) })),
  );
}
