// The REST API (/api/v1), described once: each route's method and path, what it takes (path
// parameters, query, body) and what it answers. The server's router, the SDK's HTTP client and
// the OpenAPI document (/api/v1/openapi.json) are all built from this table, so they cannot
// drift apart; permissions come from the route's operation (lib/policy.ts REST_OPERATIONS).
import { z } from "zod";
import {
  acceptSchema,
  agentCardSchema,
  batchSubmitSchema,
  completeSchema,
  failSchema,
  heartbeatSchema,
  progressSchema,
  registeredSchema,
  releaseSchema,
  taskSpecSchema,
  assignmentSchema,
} from "../protocol";
import { ackMessagesSchema, inboxQuery, messageViewSchema, sendMessageSchema, sendResultSchema } from "../messaging";
import { agentViewSchema, fleetStatsSchema } from "./agents";
import { meSchema, tokenCreateInput, tokenCreatedSchema, tokenViewSchema } from "./identity";
import { taskDetailSchema, taskViewSchema, findTasksInput } from "./tasks";
import {
  appliedTemplateSchema,
  decisionInput,
  findRunsInput,
  pendingApprovalSchema,
  rerunInput,
  runSummarySchema,
  runViewSchema,
  startRunInput,
  templateDetailSchema,
  templateSourceInput,
  templateSummarySchema,
} from "./workflows";
import { errorCodeSchema, type TaskStatus } from "./enums";
import { kedaScalerSchema, poolBoundsBody, poolDecisionSchema, poolDecisionsInput, poolInput, poolViewSchema } from "./pools";
import { exportInput, exportTableSchema, reportListInput, reportListSchema, reportMetaSchema, reportRequestInput, reportScheduleInput, reportScheduleViewSchema, reportViewSchema } from "./reports";
import { ackInput, alertHistoryInput, importRulesInput, importRulesResultSchema, alertHistorySchema, alertListSchema, alertViewSchema, channelInput, channelViewSchema, deliveryOutcomeSchema, deliveryViewSchema, ruleInput, ruleViewSchema, silenceInput, silenceViewSchema } from "./alerts";
import {
  analyticsCapacityInput,
  analyticsCapacitySchema,
  analyticsErrorsInput,
  analyticsErrorsSchema,
  analyticsRecommendationsInput,
  analyticsRecommendationsSchema,
  analyticsSummaryInput,
  analyticsSummarySchema,
  csvTableSchema,
  errorStatusSchema,
} from "./insight";

/** Every analytics route answers CSV too: `?format=csv` (and `table=` where there are several). */
const csvQuery = z.object({ format: z.enum(["json", "csv"]).default("json"), table: csvTableSchema.optional() });

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface RestRoute {
  method: HttpMethod;
  /** Under /api/v1, with `:name` parameters. */
  path: string;
  summary: string;
  /** Path parameters. */
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Also accepts the body as YAML text (Content-Type: application/yaml). */
  yamlBody?: boolean;
  status: number;
  response: z.ZodType;
  /** Answers a file of this type instead of JSON (errors are still JSON). */
  produces?: "text/html" | "application/pdf" | "text/csv" | "application/yaml";
  tag: string;
}

const id = z.string().min(1).max(64);
const idParams = z.object({ id });
const ok = z.object({ ok: z.literal(true) }).meta({ id: "Ok" });

/** Every error answer: one sentence naming the field; template problems also list their issues. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      issues: z.array(z.object({ step: z.string().nullable(), path: z.string(), message: z.string() })).optional(),
      /** On 429 and 503: the same wait as the Retry-After header, and its precise value. */
      retryAfterSeconds: z.number().optional(),
      retryAfterMs: z.number().optional(),
    }),
  })
  .meta({ id: "Error" });

/** The attempt is in the body; the task is the path's. */
const report = <T extends z.ZodObject>(s: T) => s.omit({ taskId: true } as never) as z.ZodObject;

export const restApi = {
  // ---- Agents, over plain HTTP ----
  registerAgent: { method: "POST", path: "/agents/register", tag: "agent protocol", summary: "Register (or re-attach) an agent; returns its id and timings", body: agentCardSchema, status: 200, response: registeredSchema },
  heartbeat: {
    method: "POST",
    path: "/agents/:id/heartbeat",
    tag: "agent protocol",
    summary: "Report resources and renew the leases of held tasks; returns tasks to stop",
    params: idParams,
    body: heartbeatSchema,
    status: 200,
    response: z.object({ cancel: z.array(z.object({ agentId: z.string(), taskId: z.string(), attempt: z.number(), reason: z.string() })) }),
  },
  claim: {
    method: "POST",
    path: "/agents/:id/claim",
    tag: "agent protocol",
    summary: "Long-poll for work, up to `wait` seconds; a claim whose connection closes is withdrawn at once",
    params: idParams,
    query: z.object({ wait: z.coerce.number().min(0).max(60).default(25) }),
    status: 200,
    response: z.object({ tasks: z.array(assignmentSchema) }),
  },
  drainAgent: { method: "POST", path: "/agents/:id/drain", tag: "agent protocol", summary: "Take no more work (held tasks run to the end)", params: idParams, status: 200, response: ok },
  stopAgent: { method: "POST", path: "/agents/:id/stop", tag: "agent protocol", summary: "The agent stops: offline at once (\"stopped by its owner\")", params: idParams, status: 200, response: ok },
  accept: { method: "POST", path: "/tasks/:id/accept", tag: "agent protocol", summary: "The agent starts the attempt", params: idParams, body: report(acceptSchema), status: 200, response: ok },
  progress: { method: "POST", path: "/tasks/:id/progress", tag: "agent protocol", summary: "Percent, message and log lines of the attempt", params: idParams, body: report(progressSchema), status: 200, response: ok },
  complete: { method: "POST", path: "/tasks/:id/complete", tag: "agent protocol", summary: "The attempt succeeded, with a result", params: idParams, body: report(completeSchema), status: 200, response: ok },
  fail: { method: "POST", path: "/tasks/:id/fail", tag: "agent protocol", summary: "The attempt failed, with an error", params: idParams, body: report(failSchema), status: 200, response: ok },
  release: { method: "POST", path: "/tasks/:id/release", tag: "agent protocol", summary: "Hand the task back untouched (no attempt used)", params: idParams, body: report(releaseSchema), status: 200, response: ok },
  sendAsAgent: { method: "POST", path: "/agents/:id/messages", tag: "messaging", summary: "Send a message as this agent; answered once stored", params: idParams, body: sendMessageSchema, status: 201, response: sendResultSchema },
  inbox: {
    method: "GET",
    path: "/agents/:id/inbox",
    tag: "messaging",
    summary: "Unacknowledged messages after `after`, long-polling up to `wait` seconds",
    params: idParams,
    query: inboxQuery,
    status: 200,
    response: z.object({ messages: z.array(messageViewSchema) }),
  },
  ackInbox: { method: "POST", path: "/agents/:id/inbox/ack", tag: "messaging", summary: "Everything up to `upTo` was handled", params: idParams, body: ackMessagesSchema, status: 200, response: z.object({ acked: z.number().int() }) },

  // ---- Tasks ----
  submitTasks: {
    method: "POST",
    path: "/tasks",
    tag: "tasks",
    summary: "Submit one task, or {tasks:[...]} for a batch (up to 1000)",
    body: z.union([taskSpecSchema, batchSubmitSchema]),
    status: 201,
    response: z.union([z.object({ task: taskViewSchema }), z.object({ tasks: z.array(taskViewSchema) })]),
  },
  findTasks: {
    method: "GET",
    path: "/tasks",
    tag: "tasks",
    summary: "Tasks, newest first, filtered",
    query: findTasksInput,
    status: 200,
    response: z.object({ tasks: z.array(taskViewSchema), nextCursor: z.string().nullable() }),
  },
  getTask: { method: "GET", path: "/tasks/:id", tag: "tasks", summary: "The task, its history, its log and why it waits", params: idParams, status: 200, response: taskDetailSchema },
  cancelTask: { method: "POST", path: "/tasks/:id/cancel", tag: "tasks", summary: "Stop a task that has not finished", params: idParams, status: 200, response: z.object({ task: taskViewSchema }) },
  retryTask: { method: "POST", path: "/tasks/:id/retry", tag: "tasks", summary: "Run a failed, dead or canceled task again", params: idParams, status: 200, response: z.object({ task: taskViewSchema }) },

  // ---- The fleet ----
  findAgents: { method: "GET", path: "/agents", tag: "fleet", summary: "Every known agent with its live state", status: 200, response: z.object({ agents: z.array(agentViewSchema) }) },
  forgetAgent: { method: "DELETE", path: "/agents/:id", tag: "fleet", summary: "Forget an offline agent that holds no work (its history stays)", params: idParams, status: 200, response: z.object({ agent: agentViewSchema }) },
  fleetStats: { method: "GET", path: "/stats", tag: "fleet", summary: "Fleet counts and rates", status: 200, response: fleetStatsSchema },

  // ---- Workflows ----
  saveTemplate: {
    method: "POST",
    path: "/workflows",
    tag: "workflows",
    summary: "Create or update a template: {source, format} as JSON, or the YAML itself with Content-Type: application/yaml",
    body: templateSourceInput,
    yamlBody: true,
    status: 201,
    response: appliedTemplateSchema,
  },
  findTemplates: { method: "GET", path: "/workflows", tag: "workflows", summary: "Every template with its latest version's parameters", status: 200, response: z.object({ templates: z.array(templateSummarySchema) }) },
  getTemplate: {
    method: "GET",
    path: "/workflows/:name",
    tag: "workflows",
    summary: "One template version (the latest, or ?version=n) and the version history",
    params: z.object({ name: id }),
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    status: 200,
    response: templateDetailSchema,
  },
  startRun: { method: "POST", path: "/workflows/:name/runs", tag: "workflows", summary: "Trigger a run with parameters", params: z.object({ name: id }), body: startRunInput, status: 201, response: z.object({ run: runViewSchema }) },
  findRuns: { method: "GET", path: "/runs", tag: "workflows", summary: "Runs, newest first, filtered", query: findRunsInput, status: 200, response: z.object({ runs: z.array(runSummarySchema), nextCursor: z.string().nullable() }) },
  getRun: { method: "GET", path: "/runs/:id", tag: "workflows", summary: "The run with every step", params: idParams, status: 200, response: z.object({ run: runViewSchema }) },
  cancelRun: { method: "POST", path: "/runs/:id/cancel", tag: "workflows", summary: "Stop a run and its running steps", params: idParams, status: 200, response: z.object({ run: runViewSchema }) },
  rerun: { method: "POST", path: "/runs/:id/rerun", tag: "workflows", summary: "Run again from a failed step, keeping upstream results", params: idParams, body: rerunInput, status: 200, response: z.object({ run: runViewSchema }) },
  approve: {
    method: "POST",
    path: "/runs/:id/steps/:step/approve",
    tag: "workflows",
    summary: "Approve a waiting approval gate",
    params: z.object({ id, step: id }),
    body: decisionInput,
    status: 200,
    response: z.object({ run: runViewSchema }),
  },
  reject: {
    method: "POST",
    path: "/runs/:id/steps/:step/reject",
    tag: "workflows",
    summary: "Reject a waiting approval gate (the step fails)",
    params: z.object({ id, step: id }),
    body: decisionInput,
    status: 200,
    response: z.object({ run: runViewSchema }),
  },
  approvals: { method: "GET", path: "/approvals", tag: "workflows", summary: "Approval gates waiting for a decision, oldest first", status: 200, response: z.object({ approvals: z.array(pendingApprovalSchema) }) },

  // ---- Messaging, tokens, identity ----
  sendMessage: { method: "POST", path: "/messages", tag: "messaging", summary: "An operator or script sends a message", body: sendMessageSchema, status: 201, response: sendResultSchema },
  createToken: { method: "POST", path: "/tokens", tag: "identity", summary: "Create an API token (admin); the secret is in this answer only", body: tokenCreateInput, status: 201, response: tokenCreatedSchema },
  revokeToken: {
    method: "DELETE",
    path: "/tokens/:id",
    tag: "identity",
    summary: "Revoke a token: an admin any, every token itself (`switchboard logout`)",
    params: idParams,
    status: 200,
    response: z.object({ token: tokenViewSchema }),
  },
  me: { method: "GET", path: "/me", tag: "identity", summary: "Who the caller is: user or token, role or scope", status: 200, response: meSchema },

  // ---- Insight ----
  analyticsSummary: {
    method: "GET",
    path: "/analytics/summary",
    tag: "insight",
    summary: "Throughput, success, queue wait and run time over a range against the previous one, by dimension; utilisation, CPU, workflows, bottlenecks. ?format=csv&table=breakdown|series|utilisation|workflows|bottlenecks",
    query: analyticsSummaryInput.extend(csvQuery.shape),
    status: 200,
    response: analyticsSummarySchema,
  },
  analyticsErrors: {
    method: "GET",
    path: "/analytics/errors",
    tag: "insight",
    summary: "Failures grouped by fingerprint, with counts, trend, what they affect and likely causes. ?format=csv",
    query: analyticsErrorsInput.extend(csvQuery.shape),
    status: 200,
    response: analyticsErrorsSchema,
  },
  setErrorStatus: {
    method: "POST",
    path: "/analytics/errors/:id/status",
    tag: "insight",
    summary: "Resolve, ignore or reopen an error group (a resolved group that comes back is flagged)",
    params: idParams,
    body: z.object({ status: errorStatusSchema }),
    status: 200,
    response: z.object({ id: z.string(), status: errorStatusSchema, statusBy: z.string().nullable(), statusAt: z.number().nullable() }),
  },
  analyticsCapacity: {
    method: "GET",
    path: "/analytics/capacity",
    tag: "insight",
    summary: "Demand forecast per capability (next 7 days, with its backtested error) and the slots that keep queue-wait p95 under a target. ?format=csv",
    query: analyticsCapacityInput.extend(csvQuery.shape),
    status: 200,
    response: analyticsCapacitySchema,
  },
  analyticsRecommendations: {
    method: "GET",
    path: "/analytics/recommendations",
    tag: "insight",
    summary: "Recommendations with their evidence, expected effect and action, and the bottlenecks they address. ?format=csv&table=recommendations|bottlenecks",
    query: analyticsRecommendationsInput.extend(csvQuery.shape),
    status: 200,
    response: analyticsRecommendationsSchema,
  },

  // ---- Alerts ----
  alerts: { method: "GET", path: "/alerts", tag: "alerts", summary: "Alerts now: firing, pending and recently resolved, with what silences them", status: 200, response: alertListSchema },
  alertHistory: { method: "GET", path: "/alerts/history", tag: "alerts", summary: "Every transition of every alert, newest first (cursor: the last id)", query: alertHistoryInput, status: 200, response: alertHistorySchema },
  ackAlert: { method: "POST", path: "/alerts/:id/ack", tag: "alerts", summary: "Acknowledge a firing alert (by fingerprint): no reminders until it resolves", params: idParams, body: ackInput, status: 200, response: alertViewSchema },
  alertRules: { method: "GET", path: "/alerts/rules", tag: "alerts", summary: "Alert rules, built-in ones first", status: 200, response: z.object({ rules: z.array(ruleViewSchema) }) },
  createAlertRule: { method: "POST", path: "/alerts/rules", tag: "alerts", summary: "Create a rule: a kind with its parameters, for, keep_firing_for, severity, labels, repeat interval", body: ruleInput, status: 201, response: ruleViewSchema },
  updateAlertRule: { method: "POST", path: "/alerts/rules/:id", tag: "alerts", summary: "Change a rule (a built-in one keeps its kind); enabled: false disables it", params: idParams, body: ruleInput, status: 200, response: ruleViewSchema },
  importAlertRules: { method: "POST", path: "/alerts/rules/import", tag: "alerts", summary: "Create or update (by name) rules from YAML: `rules:` with for, keep_firing_for, repeat_interval as durations", body: importRulesInput, yamlBody: true, status: 200, response: importRulesResultSchema },
  exportAlertRules: { method: "GET", path: "/alerts/rules/export", tag: "alerts", summary: "Every rule as YAML that the import reads back", status: 200, response: z.string(), produces: "application/yaml" },
  deleteAlertRule: { method: "DELETE", path: "/alerts/rules/:id", tag: "alerts", summary: "Delete a rule and its alerts (built-in rules are disabled instead)", params: idParams, status: 200, response: ok },
  silences: { method: "GET", path: "/alerts/silences", tag: "alerts", summary: "Silences, active and expired", status: 200, response: z.object({ silences: z.array(silenceViewSchema) }) },
  createSilence: { method: "POST", path: "/alerts/silences", tag: "alerts", summary: "Silence alerts matching label matchers for a time window", body: silenceInput, status: 201, response: silenceViewSchema },
  expireSilence: { method: "DELETE", path: "/alerts/silences/:id", tag: "alerts", summary: "End a silence now", params: idParams, status: 200, response: silenceViewSchema },
  alertChannels: { method: "GET", path: "/alerts/channels", tag: "alerts", summary: "Notification channels and their routes (secrets are never shown)", status: 200, response: z.object({ channels: z.array(channelViewSchema) }) },
  createAlertChannel: { method: "POST", path: "/alerts/channels", tag: "alerts", summary: "Add a channel: a signed JSON webhook or a Slack-compatible incoming webhook, with the alerts it gets", body: channelInput, status: 201, response: channelViewSchema },
  updateAlertChannel: { method: "POST", path: "/alerts/channels/:id", tag: "alerts", summary: "Change a channel (without a secret the old one is kept)", params: idParams, body: channelInput, status: 200, response: channelViewSchema },
  deleteAlertChannel: { method: "DELETE", path: "/alerts/channels/:id", tag: "alerts", summary: "Remove a channel", params: idParams, status: 200, response: ok },
  testAlertChannel: { method: "POST", path: "/alerts/channels/:id/test", tag: "alerts", summary: "Send a test notification now and say how it went", params: idParams, status: 200, response: deliveryOutcomeSchema },
  alertDeliveries: { method: "GET", path: "/alerts/channels/:id/deliveries", tag: "alerts", summary: "A channel's delivery attempts, newest first", params: idParams, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }), status: 200, response: z.object({ deliveries: z.array(deliveryViewSchema) }) },

  // ---- Pools ----
  pools: { method: "GET", path: "/pools", tag: "pools", summary: "Agent pools: agents now, desired, backlog, the last decision", status: 200, response: z.object({ pools: z.array(poolViewSchema) }) },
  createPool: { method: "POST", path: "/pools", tag: "pools", summary: "Define a pool (JSON, or YAML with durations such as cooldownMs: 1m): the card its agents get, how they start (local, host) or who runs them (external: KEDA), min/max and the scaling policy", body: poolInput, yamlBody: true, status: 201, response: poolViewSchema },
  getPool: { method: "GET", path: "/pools/:id", tag: "pools", summary: "A pool by id or name, with its agents", params: idParams, status: 200, response: poolViewSchema },
  updatePool: { method: "POST", path: "/pools/:id", tag: "pools", summary: "Change a pool's card, launch spec or policy (name and provider stay); JSON or YAML", params: idParams, body: poolInput, yamlBody: true, status: 200, response: poolViewSchema },
  setPoolBounds: { method: "POST", path: "/pools/:id/bounds", tag: "pools", summary: "Change min and max (and pause or resume): what operators may do", params: idParams, body: poolBoundsBody, status: 200, response: poolViewSchema },
  deletePool: { method: "DELETE", path: "/pools/:id", tag: "pools", summary: "Remove a pool: its agents are drained and stopped, its token revoked", params: idParams, status: 200, response: ok },
  poolDecisions: { method: "GET", path: "/pools/:id/decisions", tag: "pools", summary: "Why it scaled: every decision with its inputs, newest first", params: idParams, query: poolDecisionsInput, status: 200, response: z.object({ decisions: z.array(poolDecisionSchema) }) },
  poolScaler: { method: "GET", path: "/pools/:id/scaler", tag: "pools", summary: "For KEDA's metrics-api scaler: desiredReplicas (valueLocation), backlog, current, min, max", params: idParams, status: 200, response: kedaScalerSchema },

  // ---- Reports ----
  reports: { method: "GET", path: "/reports", tag: "reports", summary: "Reports, newest first, and the schedules that make them", query: reportListInput, status: 200, response: reportListSchema },
  createReport: { method: "POST", path: "/reports", tag: "reports", summary: "Make a report for any period now (up to 400 days)", body: reportRequestInput, status: 201, response: reportMetaSchema },
  getReport: { method: "GET", path: "/reports/:id", tag: "reports", summary: "A report and the figures it is made of", params: idParams, status: 200, response: reportViewSchema },
  reportHtml: { method: "GET", path: "/reports/:id/html", tag: "reports", summary: "A report as a self-contained HTML page", params: idParams, status: 200, response: z.string(), produces: "text/html" },
  reportPdf: { method: "GET", path: "/reports/:id/pdf", tag: "reports", summary: "A report as a PDF (A4)", params: idParams, status: 200, response: z.string(), produces: "application/pdf" },
  createReportSchedule: { method: "POST", path: "/reports/schedules", tag: "reports", summary: "Schedule a report: cron in a time zone, the day or week it covers, catch-up after downtime, channels", body: reportScheduleInput, status: 201, response: reportScheduleViewSchema },
  updateReportSchedule: { method: "POST", path: "/reports/schedules/:id", tag: "reports", summary: "Change a schedule; enabled: false pauses it", params: idParams, body: reportScheduleInput, status: 200, response: reportScheduleViewSchema },
  deleteReportSchedule: { method: "DELETE", path: "/reports/schedules/:id", tag: "reports", summary: "Remove a schedule (built-in ones are disabled instead)", params: idParams, status: 200, response: ok },
  runReportSchedule: { method: "POST", path: "/reports/schedules/:id/run", tag: "reports", summary: "Make the schedule's report for the period ending now and send it to its channels", params: idParams, status: 201, response: reportMetaSchema },
  exportCsv: { method: "GET", path: "/export/:table", tag: "reports", summary: "CSV of the tasks created, the runs started or the alert transitions in a period", params: z.object({ table: exportTableSchema }), query: exportInput, status: 200, response: z.string(), produces: "text/csv" },
} satisfies Record<string, RestRoute>;

export type RestApi = typeof restApi;
export type RestRouteName = keyof RestApi;

/** `POST /tasks/:id/cancel` — the key the policy and the request tracking use. */
export const templateOf = (r: Pick<RestRoute, "method" | "path">) => `${r.method} ${r.path}`;

/** A status filter for the SDK's task list. */
export type TaskListQuery = { status?: TaskStatus; agentId?: string; limit?: number };
