/**
 * tRPC plumbing, in one place.
 *
 * 1. Context: who is calling (resolved once from the bearer token or session cookie) and the
 *    services procedures may call.
 * 2. Init: error formatting — AppError codes become tRPC codes, the message is the sentence
 *    the user sees; unexpected errors are logged and hidden.
 * 3. The gateway: one middleware checks every procedure against its rule in lib/policy.ts
 *    and audits mutations.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { CreateHTTPContextOptions } from "@trpc/server/adapters/standalone";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { TokenService } from "@/server/auth/tokens";
import type { SessionService } from "@/server/auth/session";
import type { WorkflowService } from "@/server/workflows/workflow-service";
import type { MessageService } from "@/server/messaging/message-service";
import { AppError } from "@/server/errors";
import { authorize, principalName, resolvePrincipal, type Principal } from "@/server/http/principal";
import { auditDetails, targetOf, type AuditService } from "@/server/auth/audit";
import { TRPC_RULES } from "@/lib/policy";
import { clientIp } from "@/server/gateway/client-ip";
import type { RequestStats } from "@/server/gateway/request-stats";
import type { IncidentService } from "@/server/coordinator/incidents";
import { log } from "@/server/log";
import type { ErrorCode } from "@/lib/protocol";

// ---- 1. Context ----

export interface Services {
  coordinator: Coordinator;
  tokens: TokenService;
  sessions: SessionService;
  workflows: WorkflowService;
  messages: MessageService;
  audit: AuditService;
  requestStats: RequestStats;
  incidents: IncidentService;
}

export async function createContext(services: Services, opts: CreateHTTPContextOptions) {
  let principal: Principal | null = null;
  let authError: AppError | null = null;
  try {
    principal = await resolvePrincipal(opts.req, services);
  } catch (e) {
    if (e instanceof AppError) authError = e;
    else throw e;
  }
  return { ...services, principal, authError, ip: clientIp(opts.req) };
}

export type Context = Awaited<ReturnType<typeof createContext>>;

// ---- 2. Init ----

const TRPC_CODE: Record<ErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  STALE_ATTEMPT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    if (error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof AppError)) {
      log.error("unhandled error in tRPC procedure", { error: error.cause?.stack ?? error.message });
      return { ...shape, message: "Internal error; the server logged the details." };
    }
    const details = error.cause instanceof AppError ? error.cause.details : undefined;
    // No stack traces to callers, in any mode.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, data: details ? { ...data, ...details } : data };
  },
});

/** Services throw AppError; this turns them into TRPCErrors with the same sentence. */
const appErrors = t.middleware(async ({ next }) => {
  const r = await next();
  if (!r.ok && r.error.cause instanceof AppError) {
    const cause = r.error.cause;
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  return r;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---- 3. The gateway ----

/**
 * Every procedure is built from `procedure`, whose middleware looks the procedure's path up in
 * lib/policy.ts (TRPC_RULES) and checks the caller before anything else runs — no ad-hoc checks
 * in the routers. A procedure without a rule is refused. Mutations by people and tokens are
 * written to the audit log with their outcome.
 */
export const procedure = t.procedure.use(appErrors).use(async ({ ctx, path, type, next, getRawInput }) => {
  const rule = TRPC_RULES[path];
  if (!rule) throw new TRPCError({ code: "FORBIDDEN", message: `No authorization rule for ${path}; refusing.` });
  if (ctx.authError) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authError.message });
  let principal: Principal | null = ctx.principal;
  if (rule !== "public" || principal) {
    try {
      principal = authorize(ctx.principal, rule);
    } catch (e) {
      if (type === "mutation") void ctx.audit.record({ principal: ctx.principal, action: path, ip: ctx.ip, outcome: "denied", details: { reason: (e as AppError).message } });
      throw e;
    }
  }
  const r = await next({ ctx: { principal, principalName: principal ? principalName(principal) : "anonymous" } });
  if (type === "mutation" && rule !== "read") {
    const input = await getRawInput().catch(() => undefined);
    void ctx.audit.record({ principal, action: path, ip: ctx.ip, outcome: r.ok ? "ok" : "failed", target: targetOf(input), details: auditDetails(input, r.ok ? undefined : r.error.message) });
  }
  return r;
});

/** Narrows ctx.principal for procedures whose rule needs a caller (every rule but "public"). */
export function callerOf(ctx: { principal: Principal | null }): Principal {
  if (!ctx.principal) throw new AppError("UNAUTHORIZED", "Log in to continue.");
  return ctx.principal;
}
