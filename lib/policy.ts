// Who may do what. One table for every way in: tRPC procedures, REST routes, Socket.IO events
// and MCP tools each name the permission they need here, and the gateway checks it before the
// handler runs. A way in without a rule is denied (and the authorization matrix test fails).
//
// People have roles; machines have token scopes:
//   viewer   reads everything                      read     reads everything
//   operator + submit, cancel, retry, approve,     submit   + submits tasks, starts runs, cancels,
//              message agents, trigger workflows             retries, approves, messages agents
//   admin    + users, tokens, templates, settings  admin    everything an admin user may do
//                                                  agent    acts as its own agents (register,
//                                                           report, inbox), reads, creates tasks
//                                                           and messages (agents coordinate)
import { z } from "zod";

export const roleSchema = z.enum(["admin", "operator", "viewer"]);
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

export const tokenScopeSchema = z.enum(["agent", "submit", "read", "admin"]);
export type TokenScope = z.infer<typeof tokenScopeSchema>;
export const TOKEN_SCOPES: readonly TokenScope[] = tokenScopeSchema.options;

/**
 * - read: see anything;
 * - create: make new work (tasks, messages) — also what agents do when they coordinate;
 * - operate: change existing work (cancel, retry, approve, runs, operator messages);
 * - admin: manage the system (users, tokens, templates, settings);
 * - agent: act as an agent registered with this token (object checks come on top).
 */
export type Permission = "read" | "create" | "operate" | "admin" | "agent";
export const PERMISSIONS: readonly Permission[] = ["read", "create", "operate", "admin", "agent"];

const BY_ROLE: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  operator: ["read", "create", "operate"],
  admin: ["read", "create", "operate", "admin"],
};

const BY_SCOPE: Record<TokenScope, readonly Permission[]> = {
  read: ["read"],
  submit: ["read", "create", "operate"],
  agent: ["read", "create", "agent"],
  admin: ["read", "create", "operate", "admin"],
};

export type Actor = { kind: "user"; role: Role } | { kind: "token"; scope: TokenScope };

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  return (actor.kind === "user" ? BY_ROLE[actor.role] : BY_SCOPE[actor.scope]).includes(permission);
}

/** The sentence a refused caller reads. */
export function deniedMessage(actor: Actor, permission: Permission): string {
  const who = actor.kind === "user" ? `your role (${actor.role})` : `this token's scope (${actor.scope})`;
  const needs: Record<Permission, string> = {
    read: "read access",
    create: "an operator, or a token with scope submit or agent",
    operate: "an operator or admin, or a token with scope submit",
    admin: "an admin",
    agent: "an agent token",
  };
  return `Not allowed for ${who}: this needs ${needs[permission]}.`;
}

// ---- The rules ----

/** tRPC procedures by path. */
export const TRPC_RULES: Record<string, Permission | "public"> = {
  "auth.me": "public",
  "fleet.stats": "read",
  "agents.find": "read",
  "agents.get": "read",
  "agents.drain": "operate",
  "tasks.find": "read",
  "tasks.get": "read",
  "tasks.submit": "create",
  "tasks.cancel": "operate",
  "tasks.retry": "operate",
  "tasks.retryMany": "operate",
  "tasks.deadLetters": "read",
  "tokens.find": "admin",
  "tokens.create": "admin",
  "tokens.revoke": "admin",
  "templates.find": "read",
  "templates.get": "read",
  "templates.validate": "read",
  "templates.save": "admin",
  "runs.find": "read",
  "runs.get": "read",
  "runs.start": "operate",
  "runs.cancel": "operate",
  "runs.rerun": "operate",
  "approvals.find": "read",
  "approvals.decide": "operate",
  "messages.find": "read",
  "messages.send": "operate",
  "users.find": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.setDisabled": "admin",
  "users.resetPassword": "admin",
  "audit.find": "admin",
  "gateway.stats": "read",
  "incidents.find": "read",
  "incidents.counts": "read",
};

/** REST routes by `METHOD /path` (path under /api/v1, with :params). */
export const REST_RULES: Record<string, Permission> = {
  "POST /agents/register": "agent",
  "POST /agents/:id/heartbeat": "agent",
  "POST /agents/:id/claim": "agent",
  "POST /agents/:id/drain": "agent",
  "POST /tasks/:id/accept": "agent",
  "POST /tasks/:id/progress": "agent",
  "POST /tasks/:id/complete": "agent",
  "POST /tasks/:id/fail": "agent",
  "POST /tasks/:id/release": "agent",
  "POST /tasks": "create",
  "GET /tasks": "read",
  "GET /tasks/:id": "read",
  "POST /tasks/:id/cancel": "operate",
  "POST /tasks/:id/retry": "operate",
  "GET /agents": "read",
  "GET /stats": "read",
  "POST /workflows": "admin",
  "GET /workflows": "read",
  "GET /workflows/:name": "read",
  "POST /workflows/:name/runs": "operate",
  "GET /runs": "read",
  "GET /runs/:id": "read",
  "POST /runs/:id/cancel": "operate",
  "POST /runs/:id/rerun": "operate",
  "POST /runs/:id/steps/:step/approve": "operate",
  "POST /runs/:id/steps/:step/reject": "operate",
  "GET /approvals": "read",
  "POST /agents/:id/messages": "agent",
  "GET /agents/:id/inbox": "agent",
  "POST /agents/:id/inbox/ack": "agent",
  "POST /messages": "create",
  "POST /tokens": "admin",
};

/** Socket.IO /agents events (the connection itself needs an agent token). */
export const AGENT_SOCKET_RULES: Record<string, Permission> = {
  "agent:register": "agent",
  "agent:heartbeat": "agent",
  "agent:drain": "agent",
  "task:accept": "agent",
  "task:progress": "agent",
  "task:complete": "agent",
  "task:fail": "agent",
  "task:release": "agent",
  "message:send": "agent",
  "message:sendMany": "agent",
  "message:ack": "agent",
};

/** Socket.IO /dashboard events (the connection needs a logged-in user or a read token). */
export const DASHBOARD_SOCKET_RULES: Record<string, Permission> = {
  subscribe: "read",
  unsubscribe: "read",
};

/** MCP tools. */
export const MCP_RULES: Record<string, Permission> = {
  register_agent: "agent",
  list_agents: "read",
  send_message: "agent",
  read_inbox: "agent",
  ack_messages: "agent",
  create_task: "create",
  get_task: "read",
  report_progress: "agent",
  complete_task: "agent",
  get_workflow_run: "read",
};
