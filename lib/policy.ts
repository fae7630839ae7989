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
//                                                           report, inbox, message other agents)
//                                                           and reads. It does NOT submit tasks:
//                                                           tasks are shell commands, so a leaked
//                                                           agent token must not run code on every
//                                                           runner. `canSubmit` on the token allows
//                                                           it, per token, visibly.

import { roleSchema, tokenScopeSchema, type Role, type TokenScope } from "./api/enums";

export { roleSchema, tokenScopeSchema, type Role, type TokenScope };
export const ROLES: readonly Role[] = roleSchema.options;
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
  agent: ["read", "agent"],
  admin: ["read", "create", "operate", "admin"],
};

/** `canSubmit` only widens an agent token (the other scopes that may submit already do). */
export type Actor = { kind: "user"; role: Role } | { kind: "token"; scope: TokenScope; canSubmit?: boolean };

export function permissionsOf(actor: Actor): readonly Permission[] {
  if (actor.kind === "user") return BY_ROLE[actor.role];
  const base = BY_SCOPE[actor.scope];
  return actor.canSubmit && actor.scope === "agent" ? [...base, "create"] : base;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  return permissionsOf(actor).includes(permission);
}

/**
 * The token scopes a user may mint for themself (`switchboard login`, POST /api/auth/token): never
 * more than their role. The first is what `switchboard login` asks for by default.
 */
export const SCOPES_FOR_ROLE: Record<Role, readonly TokenScope[]> = {
  admin: ["admin", "submit", "read", "agent"],
  operator: ["submit", "read"],
  viewer: ["read"],
};

/** The sentence a refused caller reads. */
export function deniedMessage(actor: Actor, permission: Permission): string {
  const who = actor.kind === "user" ? `your role (${actor.role})` : `this token's scope (${actor.scope})`;
  const needs: Record<Permission, string> = {
    read: "read access",
    create: "an operator, or a token with scope submit (or an agent token allowed to submit)",
    operate: "an operator or admin, or a token with scope submit",
    admin: "an admin",
    agent: "an agent token",
  };
  return `Not allowed for ${who}: this needs ${needs[permission]}.`;
}

// ---- The rules ----
//
// Permissions belong to operations — "submit a task", "cancel a task" — and every transport
// that offers an operation maps to it, so the same operation needs the same permission on
// every way in by construction. The service layer (server/services) checks the operation's
// permission and writes the audit log; transports check it too, before they parse input, so
// a refused caller learns nothing about the input's shape.

/** Every operation the application offers, with the permission it needs. */
export const OPERATION_RULES = {
  // People and the dashboard
  "auth.me": "public",
  "fleet.stats": "read",
  "agents.find": "read",
  "agents.get": "read",
  "agents.drain": "operate",
  "agents.forget": "operate",
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
  /** A token revoking itself (`switchboard logout`); an admin any token. */
  "tokens.revokeOwn": "read",
  "me.get": "read",
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
  /** An operator or script writes to agents: the same right as submitting work. */
  "messages.send": "create",
  "users.find": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.setDisabled": "admin",
  "users.resetPassword": "admin",
  "audit.find": "admin",
  "traffic.stats": "read",
  "incidents.find": "read",
  "incidents.counts": "read",
  "insight.summary": "read",
  "insight.errors": "read",
  "insight.capacity": "read",
  "insight.recommendations": "read",
  /** Resolve, ignore or reopen an error group. */
  "insight.setErrorStatus": "operate",
  /** Alerts: everyone reads what fires; operators acknowledge and silence; admins own rules and channels (a channel's URL may be a credential). */
  "alerts.list": "read",
  "alerts.history": "read",
  "alerts.acknowledge": "operate",
  "alerts.rules": "read",
  "alerts.createRule": "admin",
  "alerts.updateRule": "admin",
  "alerts.deleteRule": "admin",
  "alerts.importRules": "admin",
  "alerts.exportRules": "read",
  "alerts.silences": "read",
  "alerts.createSilence": "operate",
  "alerts.expireSilence": "operate",
  "alerts.channels": "admin",
  "alerts.createChannel": "admin",
  "alerts.updateChannel": "admin",
  "alerts.deleteChannel": "admin",
  "alerts.testChannel": "admin",
  "alerts.deliveries": "admin",
  /** Reports: everyone reads and exports; operators make one on demand; admins own schedules (they send to channels). */
  "reports.list": "read",
  "reports.get": "read",
  "reports.create": "operate",
  "reports.export": "read",
  "reports.createSchedule": "admin",
  "reports.updateSchedule": "admin",
  "reports.deleteSchedule": "admin",
  "reports.runSchedule": "admin",
  /** Pools: everyone reads; operators change bounds and pause; admins define them (they start processes and hold a token). */
  "pools.list": "read",
  "pools.get": "read",
  "pools.setBounds": "operate",
  "pools.create": "admin",
  "pools.update": "admin",
  "pools.delete": "admin",
  // Agents, acting as themselves (object checks on top: only their own agents and tasks)
  "agent.register": "agent",
  "agent.heartbeat": "agent",
  "agent.claim": "agent",
  "agent.drain": "agent",
  "agent.stop": "agent",
  "agent.accept": "agent",
  "agent.progress": "agent",
  "agent.complete": "agent",
  "agent.fail": "agent",
  "agent.release": "agent",
  "agent.send": "agent",
  "agent.inbox": "agent",
  "agent.ack": "agent",
  // The live dashboard socket
  "dashboard.subscribe": "read",
} as const satisfies Record<string, Permission | "public">;
export type OperationId = keyof typeof OPERATION_RULES;

/** tRPC procedure path → operation. */
export const TRPC_OPERATIONS: Record<string, OperationId> = {
  "auth.me": "auth.me",
  "fleet.stats": "fleet.stats",
  "agents.find": "agents.find",
  "agents.get": "agents.get",
  "agents.drain": "agents.drain",
  "agents.forget": "agents.forget",
  "tasks.find": "tasks.find",
  "tasks.get": "tasks.get",
  "tasks.submit": "tasks.submit",
  "tasks.cancel": "tasks.cancel",
  "tasks.retry": "tasks.retry",
  "tasks.retryMany": "tasks.retryMany",
  "tasks.deadLetters": "tasks.deadLetters",
  "tokens.find": "tokens.find",
  "tokens.create": "tokens.create",
  "tokens.revoke": "tokens.revoke",
  "templates.find": "templates.find",
  "templates.get": "templates.get",
  "templates.validate": "templates.validate",
  "templates.save": "templates.save",
  "runs.find": "runs.find",
  "runs.get": "runs.get",
  "runs.start": "runs.start",
  "runs.cancel": "runs.cancel",
  "runs.rerun": "runs.rerun",
  "approvals.find": "approvals.find",
  "approvals.decide": "approvals.decide",
  "messages.find": "messages.find",
  "messages.send": "messages.send",
  "users.find": "users.find",
  "users.create": "users.create",
  "users.setRole": "users.setRole",
  "users.setDisabled": "users.setDisabled",
  "users.resetPassword": "users.resetPassword",
  "audit.find": "audit.find",
  "traffic.stats": "traffic.stats",
  "incidents.find": "incidents.find",
  "incidents.counts": "incidents.counts",
  "insight.summary": "insight.summary",
  "insight.errors": "insight.errors",
  "insight.capacity": "insight.capacity",
  "insight.recommendations": "insight.recommendations",
  "insight.setErrorStatus": "insight.setErrorStatus",
  "alerts.list": "alerts.list",
  "alerts.history": "alerts.history",
  "alerts.acknowledge": "alerts.acknowledge",
  "alerts.rules": "alerts.rules",
  "alerts.createRule": "alerts.createRule",
  "alerts.updateRule": "alerts.updateRule",
  "alerts.deleteRule": "alerts.deleteRule",
  "alerts.importRules": "alerts.importRules",
  "alerts.exportRules": "alerts.exportRules",
  "alerts.silences": "alerts.silences",
  "alerts.createSilence": "alerts.createSilence",
  "alerts.expireSilence": "alerts.expireSilence",
  "alerts.channels": "alerts.channels",
  "alerts.createChannel": "alerts.createChannel",
  "alerts.updateChannel": "alerts.updateChannel",
  "alerts.deleteChannel": "alerts.deleteChannel",
  "alerts.testChannel": "alerts.testChannel",
  "alerts.deliveries": "alerts.deliveries",
  "pools.list": "pools.list",
  "pools.get": "pools.get",
  "pools.decisions": "pools.get",
  "pools.setBounds": "pools.setBounds",
  "pools.create": "pools.create",
  "pools.update": "pools.update",
  "pools.delete": "pools.delete",
  "reports.list": "reports.list",
  "reports.get": "reports.get",
  "reports.create": "reports.create",
  "reports.createSchedule": "reports.createSchedule",
  "reports.updateSchedule": "reports.updateSchedule",
  "reports.deleteSchedule": "reports.deleteSchedule",
  "reports.runSchedule": "reports.runSchedule",
};

/** REST route (`METHOD /path` under /api/v1, with :params) → operation. */
export const REST_OPERATIONS: Record<string, OperationId> = {
  "POST /agents/register": "agent.register",
  "POST /agents/:id/heartbeat": "agent.heartbeat",
  "POST /agents/:id/claim": "agent.claim",
  "POST /agents/:id/drain": "agent.drain",
  "POST /agents/:id/stop": "agent.stop",
  "POST /tasks/:id/accept": "agent.accept",
  "POST /tasks/:id/progress": "agent.progress",
  "POST /tasks/:id/complete": "agent.complete",
  "POST /tasks/:id/fail": "agent.fail",
  "POST /tasks/:id/release": "agent.release",
  "POST /agents/:id/messages": "agent.send",
  "GET /agents/:id/inbox": "agent.inbox",
  "POST /agents/:id/inbox/ack": "agent.ack",
  "POST /tasks": "tasks.submit",
  "GET /tasks": "tasks.find",
  "GET /tasks/:id": "tasks.get",
  "POST /tasks/:id/cancel": "tasks.cancel",
  "POST /tasks/:id/retry": "tasks.retry",
  "GET /agents": "agents.find",
  "DELETE /agents/:id": "agents.forget",
  "GET /stats": "fleet.stats",
  "POST /workflows": "templates.save",
  "GET /workflows": "templates.find",
  "GET /workflows/:name": "templates.get",
  "POST /workflows/:name/runs": "runs.start",
  "GET /runs": "runs.find",
  "GET /runs/:id": "runs.get",
  "POST /runs/:id/cancel": "runs.cancel",
  "POST /runs/:id/rerun": "runs.rerun",
  "POST /runs/:id/steps/:step/approve": "approvals.decide",
  "POST /runs/:id/steps/:step/reject": "approvals.decide",
  "GET /approvals": "approvals.find",
  "POST /messages": "messages.send",
  "POST /tokens": "tokens.create",
  "DELETE /tokens/:id": "tokens.revokeOwn",
  "GET /me": "me.get",
  "GET /analytics/summary": "insight.summary",
  "GET /analytics/errors": "insight.errors",
  "POST /analytics/errors/:id/status": "insight.setErrorStatus",
  "GET /analytics/capacity": "insight.capacity",
  "GET /analytics/recommendations": "insight.recommendations",
  "GET /alerts": "alerts.list",
  "GET /alerts/history": "alerts.history",
  "POST /alerts/:id/ack": "alerts.acknowledge",
  "GET /alerts/rules": "alerts.rules",
  "POST /alerts/rules": "alerts.createRule",
  "POST /alerts/rules/:id": "alerts.updateRule",
  "DELETE /alerts/rules/:id": "alerts.deleteRule",
  "GET /alerts/silences": "alerts.silences",
  "POST /alerts/silences": "alerts.createSilence",
  "DELETE /alerts/silences/:id": "alerts.expireSilence",
  "POST /alerts/rules/import": "alerts.importRules",
  "GET /alerts/rules/export": "alerts.exportRules",
  "GET /alerts/channels": "alerts.channels",
  "POST /alerts/channels": "alerts.createChannel",
  "POST /alerts/channels/:id": "alerts.updateChannel",
  "DELETE /alerts/channels/:id": "alerts.deleteChannel",
  "POST /alerts/channels/:id/test": "alerts.testChannel",
  "GET /alerts/channels/:id/deliveries": "alerts.deliveries",
  "GET /pools": "pools.list",
  "POST /pools": "pools.create",
  "GET /pools/:id": "pools.get",
  "POST /pools/:id": "pools.update",
  "POST /pools/:id/bounds": "pools.setBounds",
  "DELETE /pools/:id": "pools.delete",
  "GET /pools/:id/decisions": "pools.get",
  "GET /pools/:id/scaler": "pools.get",
  "GET /reports": "reports.list",
  "POST /reports": "reports.create",
  "GET /reports/:id": "reports.get",
  "GET /reports/:id/html": "reports.get",
  "GET /reports/:id/pdf": "reports.get",
  "POST /reports/schedules": "reports.createSchedule",
  "POST /reports/schedules/:id": "reports.updateSchedule",
  "DELETE /reports/schedules/:id": "reports.deleteSchedule",
  "POST /reports/schedules/:id/run": "reports.runSchedule",
  "GET /export/:table": "reports.export",
};

/** Socket.IO /agents events (the connection itself needs an agent token) → operation. */
export const AGENT_SOCKET_OPERATIONS: Record<string, OperationId> = {
  "agent:register": "agent.register",
  "agent:heartbeat": "agent.heartbeat",
  "agent:drain": "agent.drain",
  "task:accept": "agent.accept",
  "task:progress": "agent.progress",
  "task:complete": "agent.complete",
  "task:fail": "agent.fail",
  "task:release": "agent.release",
  "message:send": "agent.send",
  "message:sendMany": "agent.send",
  "message:ack": "agent.ack",
};

/** Socket.IO /dashboard events (the connection needs a logged-in user or a read token) → operation. */
export const DASHBOARD_SOCKET_OPERATIONS: Record<string, OperationId> = {
  subscribe: "dashboard.subscribe",
  unsubscribe: "dashboard.subscribe",
};

/** MCP tools → operation. */
export const MCP_OPERATIONS: Record<string, OperationId> = {
  register_agent: "agent.register",
  claim_task: "agent.claim",
  heartbeat: "agent.heartbeat",
  fail_task: "agent.fail",
  release_task: "agent.release",
  stop_agent: "agent.stop",
  list_agents: "agents.find",
  send_message: "agent.send",
  read_inbox: "agent.inbox",
  ack_messages: "agent.ack",
  create_task: "tasks.submit",
  get_task: "tasks.get",
  report_progress: "agent.progress",
  complete_task: "agent.complete",
  get_workflow_run: "runs.get",
};

const rulesOf = (table: Record<string, OperationId>) => Object.fromEntries(Object.entries(table).map(([k, op]) => [k, OPERATION_RULES[op]])) as Record<string, Permission | "public">;

/** The permission of each way in, through its operation. */
export const TRPC_RULES = rulesOf(TRPC_OPERATIONS);
export const REST_RULES = rulesOf(REST_OPERATIONS) as Record<string, Permission>;
export const AGENT_SOCKET_RULES = rulesOf(AGENT_SOCKET_OPERATIONS) as Record<string, Permission>;
export const DASHBOARD_SOCKET_RULES = rulesOf(DASHBOARD_SOCKET_OPERATIONS) as Record<string, Permission>;
export const MCP_RULES = rulesOf(MCP_OPERATIONS) as Record<string, Permission>;
