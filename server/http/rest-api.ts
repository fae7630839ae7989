// REST for agents and scripts in any language: JSON over HTTP under /api/v1. The routes are
// lib/api/rest.ts (the same table the SDK and the OpenAPI document use), matched by find-my-way;
// each handler below is a few lines over one service operation. The gate here checks the
// route's operation before the body is read; the services check it again and audit.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { restApi, type HttpMethod, type RestRouteName } from "@/lib/api/rest";
import { LIMITS, acceptSchema, agentCardSchema, completeSchema, failSchema, progressSchema, releaseSchema, batchSubmitSchema, taskSpecSchema } from "@/lib/protocol";
import { REST_OPERATIONS } from "@/lib/policy";
import { AppError, assertWellFormed } from "@/server/errors";
import { resolvePrincipal } from "@/server/auth/principal";
import { clientIp } from "@/server/admission/client-ip";
import type { Caller, ServiceContext } from "@/server/services/context";
import * as agentProtocol from "@/server/services/agent-protocol";
import * as agents from "@/server/services/agents";
import * as tasks from "@/server/services/tasks";
import * as workflows from "@/server/services/workflows";
import * as messages from "@/server/services/messages";
import * as identity from "@/server/services/identity";
import * as insight from "@/server/services/insight";
import * as alerts from "@/server/services/alerts";
import * as reports from "@/server/services/reports";
import * as pools from "@/server/services/pools";
import { parse as parseYaml } from "yaml";
import { msFieldsFromDurations } from "@/lib/durations";
import { TABLES_OF, capacitySheet, errorsSheet, recommendationsSheet, summarySheet, toCsv, type CsvSheet } from "@/server/insight/csv-tables";
import type { CsvTable } from "@/lib/api/insight";
import { parseJsonBody, parseWith, readBody, sendError, sendJson } from "./json";
import { findRoute, type Bound } from "./rest-routes";

import { openApiDocument } from "./openapi";

interface RestCtx {
  svc: ServiceContext;
  caller: Caller;
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The body as JSON (or, for a YAML route, `{source, format}`). */
  body: () => Promise<unknown>;
  /** Aborts when the caller hangs up before the answer is written (set up before any await). */
  signal: AbortSignal;
}

/** What a handler answers: the body, and what to do if it never reached the caller. */
type Answer = unknown | { body: unknown; undelivered: () => Promise<void> };
const withUndelivered = (body: unknown, undelivered: () => Promise<void>) => ({ [UNDELIVERED]: true, body, undelivered });
const UNDELIVERED = Symbol("undelivered");
/** A CSV download instead of JSON. */
const CSV = Symbol("csv");
const csvAnswer = (sheet: CsvSheet) => ({ [CSV]: true, sheet });
/** Any other file: an HTML page shown in place, or a PDF to download. */
const FILE = Symbol("file");
const fileAnswer = (type: string, body: string | Buffer, filename?: string) => ({ [FILE]: true, type, body, filename });

/** `?format=csv`: the named table (or the route's first) as CSV; else the JSON itself. */
function maybeCsv<T>(q: { format: "json" | "csv"; table?: CsvTable }, tables: readonly CsvTable[], data: T, sheet: (d: T, t: CsvTable) => CsvSheet): Answer {
  if (q.format !== "csv") return data;
  const table = q.table ?? tables[0];
  if (!tables.includes(table)) throw new AppError("BAD_REQUEST", `Invalid request: table must be one of ${tables.join(", ")} here (got ${table}).`);
  return csvAnswer(sheet(data, table));
}

/** A report's body with the path's task id: parsed with the protocol's own schema. */
const reportOf = async <T extends z.ZodType>(ctx: RestCtx, schema: T): Promise<z.infer<T>> => {
  const b = await ctx.body();
  if (typeof b !== "object" || b === null || Array.isArray(b)) throw new AppError("BAD_REQUEST", "Invalid request: the body must be a JSON object.");
  return parseWith(schema, { ...(b as object), taskId: ctx.params.id });
};
const queryOf = <T extends z.ZodType>(ctx: RestCtx, schema: T): z.infer<T> => parseWith(schema, ctx.query);
const bodyOf = async <T extends z.ZodType>(ctx: RestCtx, schema: T): Promise<z.infer<T>> => parseWith(schema, await ctx.body());

/** A pool as JSON, or as YAML (where `…Ms` fields may be durations such as 30s). */
async function poolBody(ctx: RestCtx): Promise<unknown> {
  const b = await ctx.body();
  if (typeof b === "object" && b !== null && (b as { format?: unknown }).format === "yaml") {
    let doc: unknown;
    try {
      doc = parseYaml((b as { source: string }).source);
    } catch (e) {
      throw new AppError("BAD_REQUEST", `Invalid request: the body is not YAML: ${(e as Error).message.split("\n")[0]}.`);
    }
    return msFieldsFromDurations(doc);
  }
  return msFieldsFromDurations(b);
}

const handlers: Record<RestRouteName, (ctx: RestCtx) => Promise<Answer>> = {
  registerAgent: async (ctx) => {
    const card = await bodyOf(ctx, agentCardSchema);
    // An SDK card over HTTP is an HTTP agent: it pulls its work.
    return agentProtocol.registerAgent(ctx.svc, ctx.caller, { ...card, kind: card.kind === "sdk" ? "http" : card.kind }, "http");
  },
  heartbeat: async (ctx) => ({ cancel: await agentProtocol.heartbeat(ctx.svc, ctx.caller, ctx.params.id, await bodyOf(ctx, restApi.heartbeat.body)) }),
  claim: async (ctx) => {
    const { wait } = queryOf(ctx, restApi.claim.query);
    const id = ctx.params.id;
    // A poller that hangs up is gone: its claim is withdrawn at once, not when `wait` runs out.
    const tasks = await agentProtocol.claim(ctx.svc, ctx.caller, id, wait * 1000, ctx.signal);
    return withUndelivered({ tasks }, () => agentProtocol.returnUndelivered(ctx.svc, id, tasks));
  },
  drainAgent: async (ctx) => (await agentProtocol.drainSelf(ctx.svc, ctx.caller, ctx.params.id), { ok: true }),
  stopAgent: async (ctx) => (await agentProtocol.stop(ctx.svc, ctx.caller, ctx.params.id), { ok: true }),
  accept: async (ctx) => (await agentProtocol.accept(ctx.svc, ctx.caller, await reportOf(ctx, acceptSchema)), { ok: true }),
  progress: async (ctx) => (await agentProtocol.progress(ctx.svc, ctx.caller, await reportOf(ctx, progressSchema)), { ok: true }),
  complete: async (ctx) => (await agentProtocol.complete(ctx.svc, ctx.caller, await reportOf(ctx, completeSchema)), { ok: true }),
  fail: async (ctx) => (await agentProtocol.fail(ctx.svc, ctx.caller, await reportOf(ctx, failSchema)), { ok: true }),
  release: async (ctx) => (await agentProtocol.release(ctx.svc, ctx.caller, await reportOf(ctx, releaseSchema)), { ok: true }),
  sendAsAgent: async (ctx) => agentProtocol.send(ctx.svc, ctx.caller, ctx.params.id, await bodyOf(ctx, restApi.sendAsAgent.body)),
  inbox: async (ctx) => {
    const q = queryOf(ctx, restApi.inbox.query);
    return { messages: await agentProtocol.inbox(ctx.svc, ctx.caller, ctx.params.id, { after: q.after, limit: q.limit, waitMs: q.wait * 1000 }) };
  },
  ackInbox: async (ctx) => ({ acked: await agentProtocol.ack(ctx.svc, ctx.caller, ctx.params.id, (await bodyOf(ctx, restApi.ackInbox.body)).upTo) }),

  submitTasks: async (ctx) => {
    const raw = await ctx.body();
    // Pick the shape first so errors name the fields of the shape the caller meant.
    if (typeof raw === "object" && raw !== null && "tasks" in raw) return { tasks: await tasks.submitTasks(ctx.svc, ctx.caller, parseWith(batchSubmitSchema, raw).tasks) };
    return { task: (await tasks.submitTasks(ctx.svc, ctx.caller, [parseWith(taskSpecSchema, raw)]))[0] };
  },
  findTasks: async (ctx) => {
    const page = await tasks.findTasks(ctx.svc, ctx.caller, queryOf(ctx, restApi.findTasks.query));
    return { tasks: page.items, nextCursor: page.nextCursor };
  },
  getTask: (ctx) => tasks.getTask(ctx.svc, ctx.caller, ctx.params.id),
  cancelTask: async (ctx) => ({ task: await tasks.cancelTask(ctx.svc, ctx.caller, ctx.params.id) }),
  retryTask: async (ctx) => ({ task: await tasks.retryTask(ctx.svc, ctx.caller, ctx.params.id) }),

  findAgents: async (ctx) => ({ agents: await agents.findAgents(ctx.svc, ctx.caller) }),
  forgetAgent: async (ctx) => ({ agent: await agents.forgetAgent(ctx.svc, ctx.caller, ctx.params.id) }),
  fleetStats: (ctx) => agents.fleetStats(ctx.svc, ctx.caller),

  saveTemplate: async (ctx) => {
    const { source, format } = await bodyOf(ctx, restApi.saveTemplate.body);
    return workflows.saveTemplate(ctx.svc, ctx.caller, { source, format });
  },
  findTemplates: async (ctx) => ({ templates: await workflows.findTemplates(ctx.svc, ctx.caller) }),
  getTemplate: (ctx) => workflows.getTemplate(ctx.svc, ctx.caller, { name: ctx.params.name, version: queryOf(ctx, restApi.getTemplate.query).version }),
  startRun: async (ctx) => {
    const body = await bodyOf(ctx, restApi.startRun.body);
    return { run: await workflows.startRun(ctx.svc, ctx.caller, { template: ctx.params.name, params: body.params, version: body.version }) };
  },
  findRuns: async (ctx) => {
    const page = await workflows.findRuns(ctx.svc, ctx.caller, queryOf(ctx, restApi.findRuns.query));
    return { runs: page.items, nextCursor: page.nextCursor };
  },
  getRun: async (ctx) => ({ run: await workflows.getRun(ctx.svc, ctx.caller, ctx.params.id) }),
  cancelRun: async (ctx) => ({ run: await workflows.cancelRun(ctx.svc, ctx.caller, ctx.params.id) }),
  rerun: async (ctx) => ({ run: await workflows.rerun(ctx.svc, ctx.caller, { id: ctx.params.id, fromStep: (await bodyOf(ctx, restApi.rerun.body)).fromStep }) }),
  approve: async (ctx) => ({
    run: await workflows.decide(ctx.svc, ctx.caller, { runId: ctx.params.id, stepId: ctx.params.step, decision: "approve", comment: (await bodyOf(ctx, restApi.approve.body)).comment }),
  }),
  reject: async (ctx) => ({
    run: await workflows.decide(ctx.svc, ctx.caller, { runId: ctx.params.id, stepId: ctx.params.step, decision: "reject", comment: (await bodyOf(ctx, restApi.reject.body)).comment }),
  }),
  approvals: async (ctx) => ({ approvals: await workflows.pendingApprovals(ctx.svc, ctx.caller) }),

  sendMessage: async (ctx) => messages.sendAsOperator(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.sendMessage.body)),
  createToken: async (ctx) => identity.createToken(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createToken.body)),
  revokeToken: async (ctx) => ({ token: await identity.revokeOwnToken(ctx.svc, ctx.caller, ctx.params.id) }),
  me: (ctx) => identity.me(ctx.svc, ctx.caller),

  analyticsSummary: async (ctx) => {
    const { format, table, ...q } = queryOf(ctx, restApi.analyticsSummary.query);
    return maybeCsv({ format, table }, TABLES_OF.summary, await insight.summary(ctx.svc, ctx.caller, q), summarySheet);
  },
  analyticsErrors: async (ctx) => {
    const { format, table, ...q } = queryOf(ctx, restApi.analyticsErrors.query);
    return maybeCsv({ format, table }, TABLES_OF.errors, await insight.errors(ctx.svc, ctx.caller, q), errorsSheet);
  },
  alerts: (ctx) => alerts.list(ctx.svc, ctx.caller),
  alertHistory: (ctx) => alerts.history(ctx.svc, ctx.caller, queryOf(ctx, restApi.alertHistory.query)),
  ackAlert: async (ctx) => alerts.acknowledge(ctx.svc, ctx.caller, { id: ctx.params.id, ...(await bodyOf(ctx, restApi.ackAlert.body)) }),
  alertRules: (ctx) => alerts.rules(ctx.svc, ctx.caller),
  createAlertRule: async (ctx) => alerts.createRule(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createAlertRule.body)),
  updateAlertRule: async (ctx) => alerts.updateRule(ctx.svc, ctx.caller, { ...(await bodyOf(ctx, restApi.updateAlertRule.body)), id: ctx.params.id }),
  importAlertRules: async (ctx) => {
    const b = await ctx.body();
    return alerts.importRules(ctx.svc, ctx.caller, parseWith(restApi.importAlertRules.body, b));
  },
  exportAlertRules: async (ctx) => fileAnswer("application/yaml; charset=utf-8", await alerts.exportRules(ctx.svc, ctx.caller), "switchboard-alert-rules.yaml"),
  deleteAlertRule: (ctx) => alerts.deleteRule(ctx.svc, ctx.caller, { id: ctx.params.id }),
  silences: (ctx) => alerts.silences(ctx.svc, ctx.caller),
  createSilence: async (ctx) => alerts.createSilence(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createSilence.body)),
  expireSilence: (ctx) => alerts.expireSilence(ctx.svc, ctx.caller, { id: ctx.params.id }),
  alertChannels: (ctx) => alerts.channels(ctx.svc, ctx.caller),
  createAlertChannel: async (ctx) => alerts.createChannel(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createAlertChannel.body)),
  updateAlertChannel: async (ctx) => alerts.updateChannel(ctx.svc, ctx.caller, { ...(await bodyOf(ctx, restApi.updateAlertChannel.body)), id: ctx.params.id }),
  deleteAlertChannel: (ctx) => alerts.deleteChannel(ctx.svc, ctx.caller, { id: ctx.params.id }),
  testAlertChannel: (ctx) => alerts.testChannel(ctx.svc, ctx.caller, { id: ctx.params.id }),
  pools: (ctx) => pools.list(ctx.svc, ctx.caller),
  createPool: async (ctx) => pools.create(ctx.svc, ctx.caller, parseWith(restApi.createPool.body, await poolBody(ctx))),
  getPool: (ctx) => pools.get(ctx.svc, ctx.caller, { id: ctx.params.id }),
  updatePool: async (ctx) => pools.update(ctx.svc, ctx.caller, { ...parseWith(restApi.updatePool.body, await poolBody(ctx)), id: ctx.params.id }),
  setPoolBounds: async (ctx) => pools.setBounds(ctx.svc, ctx.caller, { ...(await bodyOf(ctx, restApi.setPoolBounds.body)), id: ctx.params.id }),
  deletePool: (ctx) => pools.remove(ctx.svc, ctx.caller, { id: ctx.params.id }),
  poolDecisions: (ctx) => pools.decisions(ctx.svc, ctx.caller, { id: ctx.params.id, ...queryOf(ctx, restApi.poolDecisions.query) }),
  poolScaler: (ctx) => pools.scaler(ctx.svc, ctx.caller, { id: ctx.params.id }),
  reports: (ctx) => reports.list(ctx.svc, ctx.caller, queryOf(ctx, restApi.reports.query)),
  createReport: async (ctx) => reports.create(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createReport.body)),
  getReport: (ctx) => reports.get(ctx.svc, ctx.caller, { id: ctx.params.id }),
  reportHtml: async (ctx) => fileAnswer("text/html; charset=utf-8", await reports.html(ctx.svc, ctx.caller, { id: ctx.params.id })),
  reportPdf: async (ctx) => {
    const f = await reports.pdf(ctx.svc, ctx.caller, { id: ctx.params.id });
    return fileAnswer("application/pdf", f.body, f.filename);
  },
  createReportSchedule: async (ctx) => reports.createSchedule(ctx.svc, ctx.caller, await bodyOf(ctx, restApi.createReportSchedule.body)),
  updateReportSchedule: async (ctx) => reports.updateSchedule(ctx.svc, ctx.caller, { ...(await bodyOf(ctx, restApi.updateReportSchedule.body)), id: ctx.params.id }),
  deleteReportSchedule: (ctx) => reports.deleteSchedule(ctx.svc, ctx.caller, { id: ctx.params.id }),
  runReportSchedule: (ctx) => reports.runSchedule(ctx.svc, ctx.caller, { id: ctx.params.id }),
  exportCsv: async (ctx) => csvAnswer(await reports.exportCsv(ctx.svc, ctx.caller, { ...parseWith(restApi.exportCsv.params, ctx.params), ...queryOf(ctx, restApi.exportCsv.query) })),
  alertDeliveries: (ctx) => alerts.deliveries(ctx.svc, ctx.caller, { id: ctx.params.id, ...queryOf(ctx, restApi.alertDeliveries.query) }),
  setErrorStatus: async (ctx) => insight.setErrorStatus(ctx.svc, ctx.caller, { id: ctx.params.id, status: (await bodyOf(ctx, restApi.setErrorStatus.body)).status }),
  analyticsCapacity: async (ctx) => {
    const { format, table, ...q } = queryOf(ctx, restApi.analyticsCapacity.query);
    return maybeCsv({ format, table }, TABLES_OF.capacity, await insight.capacity(ctx.svc, ctx.caller, q), capacitySheet);
  },
  analyticsRecommendations: async (ctx) => {
    const { format, table, ...q } = queryOf(ctx, restApi.analyticsRecommendations.query);
    return maybeCsv({ format, table }, TABLES_OF.recommendations, await insight.recommendations(ctx.svc, ctx.caller, q), recommendationsSheet);
  },
};

// ---- Routing ----

const isYaml = (req: IncomingMessage) => /^(application|text)\/(x-)?yaml\b/i.test(String(req.headers["content-type"] ?? ""));

export async function handleRestApi(req: IncomingMessage, res: ServerResponse, url: URL, svc: ServiceContext): Promise<void> {
  // Before any await: a caller that hangs up while we authenticate must still be noticed.
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  try {
    if (url.pathname === "/api/v1/openapi.json" && req.method === "GET") return sendJson(res, 200, openApiDocument());
    const found = findRoute((req.method ?? "GET") as HttpMethod, url.pathname);
    if (!found) {
      const allowed = (["GET", "POST", "DELETE"] as const).filter((m) => findRoute(m, url.pathname));
      if (allowed.length === 0) throw new AppError("NOT_FOUND", `No API route ${url.pathname}.`);
      res.setHeader("allow", allowed.join(", "));
      return sendJson(res, 405, { error: { code: "BAD_REQUEST", message: `${req.method} is not allowed on ${url.pathname}.` } });
    }
    const { name, route, template } = found.store as Bound;
    const caller: Caller = { principal: await resolvePrincipal(req, svc.deps), ip: clientIp(req) };
    // The gate: the route's operation, before its body is read.
    svc.authorize(caller, REST_OPERATIONS[template], route.method !== "GET");
    const params = { ...found.params } as Record<string, string>;
    const query = Object.fromEntries(url.searchParams);
    assertWellFormed(params);
    assertWellFormed(query);
    let body: Promise<unknown> | undefined;
    const ctx: RestCtx = {
      svc,
      caller,
      req,
      params,
      query,
      signal: gone.signal,
      body: () =>
        (body ??= readBody(req, LIMITS.requestBodyBytes).then((text) => {
          if (route.yamlBody && isYaml(req)) {
            if (!text.trim()) throw new AppError("BAD_REQUEST", "Invalid request: the YAML body is empty.");
            assertWellFormed(text);
            return { source: text, format: "yaml" };
          }
          return parseJsonBody(text);
        })),
    };
    const answer = await handlers[name](ctx);
    if (typeof answer === "object" && answer !== null && FILE in answer) {
      const f = answer as unknown as { type: string; body: string | Buffer; filename?: string };
      const headers: Record<string, string> = { "content-type": f.type, "cache-control": "no-store" };
      if (f.filename) headers["content-disposition"] = `attachment; filename="${f.filename}"`;
      // A report's page is self-contained: it may load nothing, run nothing.
      if (f.type.startsWith("text/html")) headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
      res.writeHead(200, headers);
      res.end(f.body);
      return;
    }
    if (typeof answer === "object" && answer !== null && CSV in answer) {
      const { sheet } = answer as unknown as { sheet: CsvSheet };
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="switchboard-${sheet.name}.csv"`, "cache-control": "no-store" });
      res.end(toCsv(sheet));
      return;
    }
    const wrapped = typeof answer === "object" && answer !== null && UNDELIVERED in answer ? (answer as unknown as { body: unknown; undelivered: () => Promise<void> }) : null;
    if (wrapped && (res.destroyed || res.socket?.destroyed)) return void wrapped.undelivered().catch(() => {});
    sendJson(res, route.status, wrapped ? wrapped.body : answer);
    // `close` before `finish`: the caller hung up before the answer was written out.
    if (wrapped && !res.writableFinished) res.once("close", () => void (res.writableFinished ? undefined : wrapped.undelivered().catch(() => {})));
  } catch (e) {
    sendError(res, e);
  }
}
