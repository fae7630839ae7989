// Who may do what, written out by hand for the authorization matrix test — on purpose NOT
// derived from lib/policy.ts. The matrix calls every operation as every kind of caller and
// compares what the server allowed with this table; a rule changed by mistake in the policy
// (or a new operation without a deliberate decision) fails there.
//
// The decisions, in words:
// - everyone identified reads everything;
// - work is created (tasks, operator messages) by operators and admins, by submit and admin
//   tokens, and by an agent token only when it was made to (canSubmit) — agent tokens do not
//   submit by default, because tasks are shell commands;
// - existing work is changed (cancel, retry, approve, runs, drain, forget) by operators and
//   admins and by submit and admin tokens;
// - users, tokens, templates and the audit log are for admins;
// - only agent tokens act as agents (register, report, inbox);
// - a token may revoke itself (`switchboard logout`);
// - resolving or ignoring an error group changes what operators are told: operators only;
// - alerts: everyone reads what fires and its history; operators acknowledge and silence; rules,
//   channels and their delivery logs are for admins (a channel's URL can itself be a secret);
// - pools: everyone reads them and their decisions; operators change the bounds and pause; admins
//   define them (a local pool starts processes on the server's machine with a token of its own);
// - reports: everyone reads and exports them; operators make one on demand (it is work for the
//   server); schedules are for admins (they send to channels).

export const CALLER_LABELS = [
  "anonymous",
  "user:admin",
  "user:operator",
  "user:viewer",
  "token:admin",
  "token:submit",
  "token:read",
  "token:agent",
  "token:agent+submit",
] as const;
export type CallerLabel = (typeof CALLER_LABELS)[number];

const READERS: CallerLabel[] = ["user:admin", "user:operator", "user:viewer", "token:admin", "token:submit", "token:read", "token:agent", "token:agent+submit"];
const CREATORS: CallerLabel[] = ["user:admin", "user:operator", "token:admin", "token:submit", "token:agent+submit"];
const OPERATORS: CallerLabel[] = ["user:admin", "user:operator", "token:admin", "token:submit"];
const ADMINS: CallerLabel[] = ["user:admin", "token:admin"];
const AGENTS: CallerLabel[] = ["token:agent", "token:agent+submit"];
const ANYONE: CallerLabel[] = [...CALLER_LABELS];

/** Keyed `trpc <path>`, `rest <METHOD /path>`, `agents-socket <event>`, `dashboard-socket <event>`, `mcp <tool>`. */
export const EXPECTED: Record<string, CallerLabel[]> = {
  "trpc auth.me": ANYONE,
  "trpc fleet.stats": READERS,
  "trpc agents.find": READERS,
  "trpc agents.get": READERS,
  "trpc agents.drain": OPERATORS,
  "trpc agents.forget": OPERATORS,
  "trpc tasks.find": READERS,
  "trpc tasks.get": READERS,
  "trpc tasks.submit": CREATORS,
  "trpc tasks.cancel": OPERATORS,
  "trpc tasks.retry": OPERATORS,
  "trpc tasks.retryMany": OPERATORS,
  "trpc tasks.deadLetters": READERS,
  "trpc tokens.find": ADMINS,
  "trpc tokens.create": ADMINS,
  "trpc tokens.revoke": ADMINS,
  "trpc templates.find": READERS,
  "trpc templates.get": READERS,
  "trpc templates.validate": READERS,
  "trpc templates.save": ADMINS,
  "trpc runs.find": READERS,
  "trpc runs.get": READERS,
  "trpc runs.start": OPERATORS,
  "trpc runs.cancel": OPERATORS,
  "trpc runs.rerun": OPERATORS,
  "trpc approvals.find": READERS,
  "trpc approvals.decide": OPERATORS,
  "trpc messages.find": READERS,
  // The same operation as REST POST /messages: the same audience on both.
  "trpc messages.send": CREATORS,
  "trpc users.find": ADMINS,
  "trpc users.create": ADMINS,
  "trpc users.setRole": ADMINS,
  "trpc users.setDisabled": ADMINS,
  "trpc users.resetPassword": ADMINS,
  "trpc audit.find": ADMINS,
  "trpc traffic.stats": READERS,
  "trpc incidents.find": READERS,
  "trpc incidents.counts": READERS,
  "trpc insight.summary": READERS,
  "trpc insight.errors": READERS,
  "trpc insight.capacity": READERS,
  "trpc insight.recommendations": READERS,
  "trpc insight.setErrorStatus": OPERATORS,

  "rest POST /agents/register": AGENTS,
  "rest POST /agents/:id/heartbeat": AGENTS,
  "rest POST /agents/:id/claim": AGENTS,
  "rest POST /agents/:id/drain": AGENTS,
  "rest POST /agents/:id/stop": AGENTS,
  "rest POST /tasks/:id/accept": AGENTS,
  "rest POST /tasks/:id/progress": AGENTS,
  "rest POST /tasks/:id/complete": AGENTS,
  "rest POST /tasks/:id/fail": AGENTS,
  "rest POST /tasks/:id/release": AGENTS,
  "rest POST /tasks": CREATORS,
  "rest GET /tasks": READERS,
  "rest GET /tasks/:id": READERS,
  "rest POST /tasks/:id/cancel": OPERATORS,
  "rest POST /tasks/:id/retry": OPERATORS,
  "rest GET /agents": READERS,
  "rest DELETE /agents/:id": OPERATORS,
  "rest GET /stats": READERS,
  "rest POST /workflows": ADMINS,
  "rest GET /workflows": READERS,
  "rest GET /workflows/:name": READERS,
  "rest POST /workflows/:name/runs": OPERATORS,
  "rest GET /runs": READERS,
  "rest GET /runs/:id": READERS,
  "rest POST /runs/:id/cancel": OPERATORS,
  "rest POST /runs/:id/rerun": OPERATORS,
  "rest POST /runs/:id/steps/:step/approve": OPERATORS,
  "rest POST /runs/:id/steps/:step/reject": OPERATORS,
  "rest GET /approvals": READERS,
  "rest POST /agents/:id/messages": AGENTS,
  "rest GET /agents/:id/inbox": AGENTS,
  "rest POST /agents/:id/inbox/ack": AGENTS,
  "rest POST /messages": CREATORS,
  "rest POST /tokens": ADMINS,
  // Everyone gets past the gate; the handler lets a non-admin revoke only its own token.
  "rest DELETE /tokens/:id": READERS,
  "rest GET /me": READERS,
  "rest GET /analytics/summary": READERS,
  "rest GET /analytics/errors": READERS,
  "rest POST /analytics/errors/:id/status": OPERATORS,
  "rest GET /analytics/capacity": READERS,
  "rest GET /analytics/recommendations": READERS,
  "trpc alerts.list": READERS,
  "trpc alerts.history": READERS,
  "trpc alerts.acknowledge": OPERATORS,
  "trpc alerts.rules": READERS,
  "trpc alerts.createRule": ADMINS,
  "trpc alerts.updateRule": ADMINS,
  "trpc alerts.deleteRule": ADMINS,
  "trpc alerts.importRules": ADMINS,
  "trpc alerts.exportRules": READERS,
  "trpc alerts.silences": READERS,
  "trpc alerts.createSilence": OPERATORS,
  "trpc alerts.expireSilence": OPERATORS,
  "trpc alerts.channels": ADMINS,
  "trpc alerts.createChannel": ADMINS,
  "trpc alerts.updateChannel": ADMINS,
  "trpc alerts.deleteChannel": ADMINS,
  "trpc alerts.testChannel": ADMINS,
  "trpc alerts.deliveries": ADMINS,
  "trpc pools.list": READERS,
  "trpc pools.get": READERS,
  "trpc pools.decisions": READERS,
  "trpc pools.setBounds": OPERATORS,
  "trpc pools.create": ADMINS,
  "trpc pools.update": ADMINS,
  "trpc pools.delete": ADMINS,
  "rest GET /pools": READERS,
  "rest POST /pools": ADMINS,
  "rest GET /pools/:id": READERS,
  "rest POST /pools/:id": ADMINS,
  "rest POST /pools/:id/bounds": OPERATORS,
  "rest DELETE /pools/:id": ADMINS,
  "rest GET /pools/:id/decisions": READERS,
  "rest GET /pools/:id/scaler": READERS,
  "trpc reports.list": READERS,
  "trpc reports.get": READERS,
  "trpc reports.create": OPERATORS,
  "trpc reports.createSchedule": ADMINS,
  "trpc reports.updateSchedule": ADMINS,
  "trpc reports.deleteSchedule": ADMINS,
  "trpc reports.runSchedule": ADMINS,
  "rest GET /reports": READERS,
  "rest POST /reports": OPERATORS,
  "rest GET /reports/:id": READERS,
  "rest GET /reports/:id/html": READERS,
  "rest GET /reports/:id/pdf": READERS,
  "rest POST /reports/schedules": ADMINS,
  "rest POST /reports/schedules/:id": ADMINS,
  "rest DELETE /reports/schedules/:id": ADMINS,
  "rest POST /reports/schedules/:id/run": ADMINS,
  "rest GET /export/:table": READERS,
  "rest GET /alerts": READERS,
  "rest GET /alerts/history": READERS,
  "rest POST /alerts/:id/ack": OPERATORS,
  "rest GET /alerts/rules": READERS,
  "rest POST /alerts/rules": ADMINS,
  "rest POST /alerts/rules/:id": ADMINS,
  "rest DELETE /alerts/rules/:id": ADMINS,
  "rest POST /alerts/rules/import": ADMINS,
  "rest GET /alerts/rules/export": READERS,
  "rest GET /alerts/silences": READERS,
  "rest POST /alerts/silences": OPERATORS,
  "rest DELETE /alerts/silences/:id": OPERATORS,
  "rest GET /alerts/channels": ADMINS,
  "rest POST /alerts/channels": ADMINS,
  "rest POST /alerts/channels/:id": ADMINS,
  "rest DELETE /alerts/channels/:id": ADMINS,
  "rest POST /alerts/channels/:id/test": ADMINS,
  "rest GET /alerts/channels/:id/deliveries": ADMINS,

  "agents-socket agent:register": AGENTS,
  "agents-socket agent:heartbeat": AGENTS,
  "agents-socket agent:drain": AGENTS,
  "agents-socket task:accept": AGENTS,
  "agents-socket task:progress": AGENTS,
  "agents-socket task:complete": AGENTS,
  "agents-socket task:fail": AGENTS,
  "agents-socket task:release": AGENTS,
  "agents-socket message:send": AGENTS,
  "agents-socket message:sendMany": AGENTS,
  "agents-socket message:ack": AGENTS,
  "dashboard-socket subscribe": READERS,
  "dashboard-socket unsubscribe": READERS,

  "mcp register_agent": AGENTS,
  "mcp claim_task": AGENTS,
  "mcp heartbeat": AGENTS,
  "mcp fail_task": AGENTS,
  "mcp release_task": AGENTS,
  "mcp stop_agent": AGENTS,
  "mcp list_agents": READERS,
  "mcp send_message": AGENTS,
  "mcp read_inbox": AGENTS,
  "mcp ack_messages": AGENTS,
  // The MCP twin of POST /tasks: the same audience (among tokens; MCP takes only tokens).
  "mcp create_task": CREATORS,
  "mcp get_task": READERS,
  "mcp report_progress": AGENTS,
  "mcp complete_task": AGENTS,
  "mcp get_workflow_run": READERS,
};

export function expectedAllowed(operation: string, caller: CallerLabel): boolean {
  const who = EXPECTED[operation];
  if (!who) throw new Error(`no expectation for ${operation}: decide who may call it and add it to authorization-expectations.ts`);
  return who.includes(caller);
}
