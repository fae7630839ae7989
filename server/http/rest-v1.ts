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
import { parseWith, readJson, sendError, sendJson } from "./json";
import { authorize, requireToken, resolvePrincipal, type Access, type Principal } from "./principal";

export interface RestDeps {
  coordinator: Coordinator;
  tokens: TokenService;
  sessions: SessionService;
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
  path: RegExp;
  access: Access;
  handle: (ctx: Ctx) => Promise<[number, unknown]>;
}

const id = "([A-Za-z0-9_.:-]{1,64})";
const route = (method: Route["method"], path: string, access: Access, handle: Route["handle"]): Route => ({
  method,
  path: new RegExp(`^/api/v1${path.replace(/:id/g, id)}$`),
  access,
  handle,
});

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

const tokenCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    scope: z.enum(["agent", "admin"]).default("agent"),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

const routes: Route[] = [
  // POST /api/v1/agents/register — register (or re-attach) an agent; returns its id and timings
  route("POST", "/agents/register", "agent", async (ctx) => {
    const card = parseWith(agentCardSchema, await ctx.body());
    const token = requireToken(ctx.principal);
    const kind = card.kind === "sdk" ? "http" : card.kind;
    const r = await ctx.deps.coordinator.registerAgent({ ...card, kind }, token, "http");
    return [200, r];
  }),
  // POST /api/v1/agents/:id/heartbeat — report resources, renew leases; returns tasks to stop
  route("POST", "/agents/:id/heartbeat", "agent", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    const hb = parseWith(heartbeatSchema, await ctx.body());
    return [200, { cancel: await ctx.deps.coordinator.heartbeat(ctx.params.id, hb) }];
  }),
  // POST /api/v1/agents/:id/claim?wait=25 — long-poll for work (up to `wait` seconds)
  route("POST", "/agents/:id/claim", "agent", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    const { wait } = parseWith(claimQuery, Object.fromEntries(ctx.query));
    return [200, { tasks: await ctx.deps.coordinator.claim(ctx.params.id, wait * 1000) }];
  }),
  // POST /api/v1/agents/:id/drain — take no more work
  route("POST", "/agents/:id/drain", "agent", async (ctx) => {
    ctx.deps.coordinator.agentOwnedBy(ctx.params.id, requireToken(ctx.principal).id);
    await ctx.deps.coordinator.drainAgent(ctx.params.id);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/accept — the agent starts the attempt
  route("POST", "/tasks/:id/accept", "agent", async (ctx) => {
    const r = parseWith(acceptSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.accept(holderOf(ctx, r.taskId), r.taskId, r.attempt);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/progress — percent, message and log lines
  route("POST", "/tasks/:id/progress", "agent", async (ctx) => {
    const r = parseWith(progressSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.progress(holderOf(ctx, r.taskId), r);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/complete — the attempt succeeded, with a result
  route("POST", "/tasks/:id/complete", "agent", async (ctx) => {
    const r = parseWith(completeSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.complete(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.result);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/fail — the attempt failed, with an error
  route("POST", "/tasks/:id/fail", "agent", async (ctx) => {
    const r = parseWith(failSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.fail(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.error, r.retryable, r.result);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks/:id/release — hand the task back untouched
  route("POST", "/tasks/:id/release", "agent", async (ctx) => {
    const r = parseWith(releaseSchema, { ...(await bodyObject(ctx)), taskId: ctx.params.id });
    await ctx.deps.coordinator.release(holderOf(ctx, r.taskId), r.taskId, r.attempt, r.reason);
    return [200, { ok: true }];
  }),
  // POST /api/v1/tasks — submit one task, or {tasks:[...]} for a batch
  route("POST", "/tasks", "submit", async (ctx) => {
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
  route("GET", "/tasks", "submit", async (ctx) => {
    const q = parseWith(listQuery, Object.fromEntries(ctx.query));
    const c = ctx.deps.coordinator;
    const page = await c.store.findTasks(q);
    return [200, { tasks: page.items.map((t) => c.taskView(t)), nextCursor: page.nextCursor }];
  }),
  // GET /api/v1/tasks/:id — the task, its history, its log and why it waits
  route("GET", "/tasks/:id", "submit", async (ctx) => [200, await ctx.deps.coordinator.taskDetail(ctx.params.id)]),
  // POST /api/v1/tasks/:id/cancel — stop a task that has not finished
  route("POST", "/tasks/:id/cancel", "submit", async (ctx) => {
    const c = ctx.deps.coordinator;
    return [200, { task: c.taskView(await c.cancel(ctx.params.id)) }];
  }),
  // POST /api/v1/tasks/:id/retry — run a failed, dead or canceled task again
  route("POST", "/tasks/:id/retry", "submit", async (ctx) => {
    const c = ctx.deps.coordinator;
    return [200, { task: c.taskView(await c.retry(ctx.params.id)) }];
  }),
  // GET /api/v1/agents — every known agent with its live state
  route("GET", "/agents", "submit", async (ctx) => [200, { agents: ctx.deps.coordinator.agentViews() }]),
  // GET /api/v1/stats — fleet counts and rates
  route("GET", "/stats", "submit", async (ctx) => [200, ctx.deps.coordinator.stats()]),
  // POST /api/v1/tokens — create an API token (admin); the secret is in this answer only
  route("POST", "/tokens", "admin", async (ctx) => {
    const input = parseWith(tokenCreateSchema, await ctx.body());
    return [201, await ctx.deps.tokens.create(input)];
  }),
];

async function bodyObject(ctx: Ctx): Promise<Record<string, unknown>> {
  const b = await ctx.body();
  if (typeof b !== "object" || b === null || Array.isArray(b)) throw new AppError("BAD_REQUEST", "Invalid request: the body must be a JSON object.");
  return b as Record<string, unknown>;
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
    const principal = authorize(await resolvePrincipal(req, deps), r.access);
    const m = r.path.exec(url.pathname)!;
    let cached: Promise<unknown> | undefined;
    const ctx: Ctx = {
      req,
      params: { id: m[1] },
      query: url.searchParams,
      principal,
      deps,
      body: () => (cached ??= readJson(req, LIMITS.requestBodyBytes)),
    };
    const [status, body] = await r.handle(ctx);
    sendJson(res, status, body);
  } catch (e) {
    sendError(res, e);
  }
}
