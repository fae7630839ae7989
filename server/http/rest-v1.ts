// REST for agents and scripts in any language: JSON over HTTP under /api/v1. Each route names
// its access level once; zod parses every body. See the README for curl examples.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import {
  LIMITS,
  acceptSchema,
  agentCardSchema,
  completeSchema,
  failSchema,
  heartbeatSchema,
  progressSchema,
  releaseSchema,
  batchSubmitSchema,
  taskSpecSchema,
  taskStatusSchema,
} from "@/lib/protocol";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { TokenService } from "@/server/auth/tokens";
import type { SessionService } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import type { WorkflowService } from "@/server/workflows/workflow-service";
import type { MessageService } from "@/server/messaging/message-service";
import { ackMessagesSchema, sendMessageSchema } from "@/lib/messaging";
import { WORKFLOW_LIMITS } from "@/lib/workflow";
import { parseWith, readJson, sendError, sendJson } from "./json";
import { authorize, principalName, requireToken, resolvePrincipal, type Principal } from "./principal";
import { REST_RULES, tokenScopeSchema, type Permission } from "@/lib/policy";
import type { AuditService } from "@/server/auth/audit";
import { auditDetails } from "@/server/auth/audit";
import { clientIp } from "@/server/gateway/client-ip";

export interface RestDeps {
  workflows: WorkflowService;
  messages: MessageService;
  coordinator: Coordinator;
  tokens: TokenService;
  sessions: SessionService;
  audit: AuditService;
}

interface Ctx {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  principal: Principal;
  body: () => Promise<unknown>;
  deps: RestDeps;
}

interface Route {
  method: "GET" | "POST";
  /** `METHOD /path` as in lib/policy.ts REST_RULES, and as the request tracking names it. */
  template: string;
  path: RegExp;
  params: string[];
  permission: Permission;
  handle: (ctx: Ctx) => Promise<[number, unknown]>;
}

/**
 * `/runs/:id/steps/:step` → a regex with one capture per `:name`; the permission comes from the
 * rule table, and a route without a rule cannot be declared.
 */
const route = (method: Route["method"], path: string, handle: Route["handle"]): Route => {
  const template = `${method} ${path}`;
  const permission = REST_RULES[template];
  if (!permission) throw new Error(`no authorization rule for ${template} in lib/policy.ts`);
  return {
    method,
    template,
    path: new RegExp(`^/api/v1${path.replace(/:\w+/g, "([A-Za-z0-9_.:-]{1,64})")}$`),
    params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]),
    permission,
    handle,
  };
};

/** The agent a task report comes from: the task's holder, which must belong to the caller's token. */
function holderOf(ctx: Ctx, taskId: string): string {
  const token = requireToken(ctx.principal);
  const t = ctx.deps.coordinator.scheduler.tasks.get(taskId);
  if (!t || !t.agentId) throw new AppError("STALE_ATTEMPT", `Task ${taskId} is not assigned to any agent now (it may have finished, been canceled or reassigned).`);
  ctx.deps.coordinator.agentOwnedBy(t.agentId, token.id);
  return t.agentId;
}

const listQuery = z.object({
  status: taskStatusSchema.optional(),
  agentId: z.string().max(64).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
});

const claimQuery = z.object({ wait: z.coerce.number().min(0).max(60).default(25) });

const templateSourceSchema = z.object({ source: z.string().min(1).max(WORKFLOW_LIMITS.sourceBytes), format: z.enum(["yaml", "json"]).default("yaml") }).strict();
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const startRunSchema = z
  .object({ params: z.record(z.string().max(64), z.union([z.string().max(10_000), z.number(), z.boolean()])).default({}), version: z.number().int().min(1).optional() })
  .strict();
const runsQuery = z.object({
  status: z.enum(["running", "succeeded", "failed", "canceled"]).optional(),
  template: z.string().max(64).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});
const inboxQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().min(0).max(60).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const rerunSchema = z.object({ fromStep: z.string().min(1).max(64) }).strict();
const decisionSchema = z.object({ comment: z.string().max(2000).optional() }).strict();

const tokenCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    scope: tokenScopeSchema.default("agent"),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export const routes: Route[] = [
  // POST /api/v1/agents/register — register (or re-attach) an agent; returns its id and timings
  route("POST", "/agents/register", async (ctx) => {
    const card = parseWith(agentCardSchema, await ctx.body());
    const token = requireToken(ctx.principal);
    const kind = card.kind === "sdk" ? "http" : card.kind;
    const r = await ctx.deps.coordinator.registerAgent({ ...card, kind }, token, "http");
    return [200, r];
  }),
  // POST /api/v1/agents/:id/heartbeat — report resources, renew leases; returns tasks to stop
  route("POST", "/agents/:id/heartbeat", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    const hb = parseWith(heartbeatSchema, await ctx.body());
    return [200, { cancel: await ctx.deps.coordinator.heartbeat(ctx.params.id, hb) }];
  }),
  // POST /api/v1/agents/:id/claim?wait=25 — long-poll for work (up to `wait` seconds)
  route("POST", "/agents/:id/claim", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    const { wait } = parseWith(claimQuery, Object.fromEntries(ctx.query));
    return [200, { tasks: await ctx.deps.coordinator.claim(ctx.params.id, wait * 1000) }];
  }),
  // POST /api/v1/agents/:id/drain — take no more work
  route("POST", "/agents/:id/drain", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    await ctx.deps.coordinator.drainAgent(ctx.params.id);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/accept — the agent starts the attempt
  route("POST", "/tasks/:id/accept", async (ctx) => {
    const r = parseWith(acceptSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.accept(holderOf(ctx, r.taskId), r.taskId, r.attempt);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/progress — percent, message and log lines
  route("POST", "/tasks/:id/progress", async (ctx) => {
    const r = parseWith(progressSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.progress(holderOf(ctx, r.taskId), r);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/complete — the attempt succeeded, with a result
  route("POST", "/tasks/:id/complete", async (ctx) => {
    const r = parseWith(completeSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.complete(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.result);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/fail — the attempt failed, with an error
  route("POST", "/tasks/:id/fail", async (ctx) => {
    const r = parseWith(failSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.fail(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.error, r.retryable, r.result);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/release — hand the task back untouched
  route("POST", "/tasks/:id/release", async (ctx) => {
    const r = parseWith(releaseSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.release(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.reason);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks — submit one task, or {tasks:[...]} for a batch
  route("POST", "/tasks", async (ctx) => {
    const raw = await ctx.body();
    // Pick the shape first so errors name the fields of the shape the caller meant.
    const isBatch = typeof raw === "object" && raw !== null && "tasks" in raw;
    const body = isBatch ? parseWith(batchSubmitSchema, raw) : parseWith(taskSpecSchema, raw);
    const c = ctx.deps.coordinator;
    if ("tasks" in body) return [201, { tasks: (await c.submit(body.tasks)).map((t) => c.taskView(t)) }];
    const [t] = await c.submit([body]);
    return [201, { task: c.taskView(t) }];
  }),
  // GET /api/v1/tasks — newest first, filtered
  route("GET", "/tasks", async (ctx) => {
    const q = parseWith(listQuery, Object.fromEntries(ctx.query));
    const c = ctx.deps.coordinator;
    const page = await c.store.findTasks(q);
    return [200, { tasks: page.items.map((t) => c.taskView(t)), nextCursor: page.nextCursor }];
  }),
  // GET /api/v1/tasks/:id — the task, its history, its log and why it waits
  route("GET", "/tasks/:id", async (ctx) => [200, await ctx.deps.coordinator.taskDetail(ctx.params.id)]),
  // POST /api/v1/tasks/:id/cancel — stop a task that has not finished
  route("POST", "/tasks/:id/cancel", async (ctx) => {
    const c = ctx.deps.coordinator;
    return [200, { task: c.taskView(await c.cancel(ctx.params.id)) }];
  }),
  // POST /api/v1/tasks/:id/retry — run a failed, dead or canceled task again
  route("POST", "/tasks/:id/retry", async (ctx) => {
    const c = ctx.deps.coordinator;
    return [200, { task: c.taskView(await c.retry(ctx.params.id)) }];
  }),
  // GET /api/v1/agents — every known agent with its live state
  route("GET", "/agents", async (ctx) => [200, { agents: ctx.deps.coordinator.agentViews() }]),
  // GET /api/v1/stats — fleet counts and rates
  route("GET", "/stats", async (ctx) => [200, ctx.deps.coordinator.stats()]),
  // POST /api/v1/workflows — create or update a template from YAML/JSON source (admin)
  route("POST", "/workflows", async (ctx) => {
    const { source, format } = parseWith(templateSourceSchema, await ctx.body());
    return [201, await ctx.deps.workflows.apply(source, format, principalName(ctx.principal))];
  }),
  // GET /api/v1/workflows — every template with its latest version's parameters
  route("GET", "/workflows", async (ctx) => [200, { templates: await ctx.deps.workflows.findTemplates() }]),
  // GET /api/v1/workflows/:name?version=n — one template version and the version history
  route("GET", "/workflows/:name", async (ctx) => {
    const { version } = parseWith(versionQuery, Object.fromEntries(ctx.query));
    return [200, await ctx.deps.workflows.getTemplate(ctx.params.name, version)];
  }),
  // POST /api/v1/workflows/:name/runs — trigger a run with parameters
  route("POST", "/workflows/:name/runs", async (ctx) => {
    const body = parseWith(startRunSchema, await ctx.body());
    return [201, { run: await ctx.deps.workflows.startRun(ctx.params.name, body.params, principalName(ctx.principal), body.version) }];
  }),
  // GET /api/v1/runs — newest first, filtered
  route("GET", "/runs", async (ctx) => {
    const q = parseWith(runsQuery, Object.fromEntries(ctx.query));
    const page = await ctx.deps.workflows.findRuns(q);
    return [200, { runs: page.items, nextCursor: page.nextCursor }];
  }),
  // GET /api/v1/runs/:id — the run with every step
  route("GET", "/runs/:id", async (ctx) => [200, { run: await ctx.deps.workflows.getRun(ctx.params.id) }]),
  // POST /api/v1/runs/:id/cancel — stop a run and its running steps
  route("POST", "/runs/:id/cancel", async (ctx) => [200, { run: await ctx.deps.workflows.cancelRun(ctx.params.id, principalName(ctx.principal)) }]),
  // POST /api/v1/runs/:id/rerun — run again from a failed step, keeping upstream results
  route("POST", "/runs/:id/rerun", async (ctx) => {
    const { fromStep } = parseWith(rerunSchema, await ctx.body());
    return [200, { run: await ctx.deps.workflows.rerun(ctx.params.id, fromStep, principalName(ctx.principal)) }];
  }),
  // POST /api/v1/runs/:id/steps/:step/approve — approve a waiting approval gate
  route("POST", "/runs/:id/steps/:step/approve", async (ctx) => {
    const { comment } = parseWith(decisionSchema, await ctx.body());
    return [200, { run: await ctx.deps.workflows.decide(ctx.params.id, ctx.params.step, "approve", principalName(ctx.principal), comment) }];
  }),
  // POST /api/v1/runs/:id/steps/:step/reject — reject it (the step fails)
  route("POST", "/runs/:id/steps/:step/reject", async (ctx) => {
    const { comment } = parseWith(decisionSchema, await ctx.body());
    return [200, { run: await ctx.deps.workflows.decide(ctx.params.id, ctx.params.step, "reject", principalName(ctx.principal), comment) }];
  }),
  // GET /api/v1/approvals — approval gates waiting for a decision, oldest first
  route("GET", "/approvals", async (ctx) => [200, { approvals: ctx.deps.workflows.pendingApprovals() }]),
  // POST /api/v1/agents/:id/messages — send a message as this agent; answered once stored
  route("POST", "/agents/:id/messages", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    return [201, await ctx.deps.messages.send({ agentId: ctx.params.id }, parseWith(sendMessageSchema, await ctx.body()))];
  }),
  // GET /api/v1/agents/:id/inbox?after=&wait=&limit= — unacknowledged messages, long-polling
  route("GET", "/agents/:id/inbox", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    const q = parseWith(inboxQuery, Object.fromEntries(ctx.query));
    return [200, { messages: await ctx.deps.messages.inbox(ctx.params.id, q.after, q.limit, q.wait * 1000) }];
  }),
  // POST /api/v1/agents/:id/inbox/ack — everything up to `upTo` was handled
  route("POST", "/agents/:id/inbox/ack", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    return [200, { acked: await ctx.deps.messages.ack(ctx.params.id, parseWith(ackMessagesSchema, await ctx.body()).upTo) }];
  }),
  // POST /api/v1/messages — an operator or script sends a message
  route("POST", "/messages", async (ctx) => [
    201,
    await ctx.deps.messages.send({ operator: principalName(ctx.principal) }, parseWith(sendMessageSchema, await ctx.body())),
  ]),
  // POST /api/v1/tokens — create an API token (admin); the secret is in this answer only
  route("POST", "/tokens", async (ctx) => {
    const input = parseWith(tokenCreateSchema, await ctx.body());
    return [201, await ctx.deps.tokens.create(input)];
  }),
];

async function bodyObject(ctx: Ctx): Promise<Record<string, unknown>> {
  const b = await ctx.body();
  if (typeof b !== "object" || b === null || Array.isArray(b)) throw new AppError("BAD_REQUEST", "Invalid request: the body must be a JSON object.");
  return b as Record<string, unknown>;
}

/** The route template a request matches (`POST /tasks/:id/cancel`), for request tracking. */
export function restRouteOf(method: string, pathname: string): string {
  const r = routes.find((c) => c.method === method && c.path.test(pathname));
  return r ? `${r.method} /api/v1${r.template.slice(r.method.length + 1)}` : pathname.startsWith("/api/v1/") ? "other /api/v1" : `other ${pathname.startsWith("/api/auth/") ? pathname : "/api"}`;
}

export async function handleRestV1(req: IncomingMessage, res: ServerResponse, url: URL, deps: RestDeps): Promise<void> {
  try {
    const candidates = routes.filter((r) => r.path.test(url.pathname));
    if (candidates.length === 0) throw new AppError("NOT_FOUND", `No API route ${url.pathname}.`);
    const r = candidates.find((c) => c.method === req.method);
    if (!r) {
      res.setHeader("allow", candidates.map((c) => c.method).join(", "));
      return sendJson(res, 405, { error: { code: "BAD_REQUEST", message: `${req.method} is not allowed on ${url.pathname}.` } });
    }
    let principal: Principal;
    const unsafe = r.method !== "GET" && r.permission !== "agent" && r.permission !== "read";
    try {
      principal = authorize(await resolvePrincipal(req, deps), r.permission);
    } catch (e) {
      if (unsafe) void deps.audit.record({ principal: null, action: r.template, ip: clientIp(req), outcome: "denied", details: { reason: (e as Error).message } });
      throw e;
    }
    const m = r.path.exec(url.pathname)!;
    let cached: Promise<unknown> | undefined;
    const ctx: Ctx = {
      req,
      params: Object.fromEntries(r.params.map((name, i) => [name, decodeURIComponent(m[i + 1])])),
      query: url.searchParams,
      principal,
      deps,
      body: () => (cached ??= readJson(req, LIMITS.requestBodyBytes)),
    };
    let result: [number, unknown];
    try {
      result = await r.handle(ctx);
    } catch (e) {
      if (unsafe) void deps.audit.record({ principal, action: r.template, target: ctx.params.id ?? ctx.params.name ?? null, ip: clientIp(req), outcome: "failed", details: auditDetails(await ctx.body().catch(() => undefined), (e as Error).message) });
      throw e;
    }
    if (unsafe) void deps.audit.record({ principal, action: r.template, target: ctx.params.id ?? ctx.params.name ?? null, ip: clientIp(req), outcome: "ok", details: auditDetails(await ctx.body().catch(() => undefined)) });
    sendJson(res, result[0], result[1]);
  } catch (e) {
    sendError(res, e);
  }
}
