/**
 * tRPC plumbing, in one place.
 *
 * 1. Context: who is calling (resolved once from the bearer token or session cookie) and the
 *    service layer procedures call.
 * 2. Init: error formatting — AppError codes become tRPC codes, the message is the sentence
 *    the user sees; unexpected errors are logged and hidden.
 * 3. The gate: one middleware checks every procedure's operation (lib/policy.ts) before its
 *    input is parsed. Procedures are one-line adapters over server/services, which audit.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { CreateHTTPContextOptions } from "@trpc/server/adapters/standalone";
import { AppError } from "@/server/errors";
import { resolvePrincipal, type Principal } from "@/server/auth/principal";
import { OPERATION_RULES, TRPC_OPERATIONS } from "@/lib/policy";
import { clientIp } from "@/server/admission/client-ip";
import type { Caller, ServiceContext } from "@/server/services/context";
import { log } from "@/server/log";
import { clip, describeIssues, findIllFormed, illFormedMessage } from "@/lib/validation";
import type { ErrorCode } from "@/lib/protocol";

// ---- 1. Context ----

export async function createContext(svc: ServiceContext, opts: CreateHTTPContextOptions) {
  let principal: Principal | null = null;
  let authError: AppError | null = null;
  try {
    principal = await resolvePrincipal(opts.req, svc.deps);
  } catch (e) {
    if (e instanceof AppError) authError = e;
    else throw e;
  }
  const caller: Caller = { principal, ip: clientIp(opts.req) };
  return { svc, caller, authError };
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
    // Input validation: the same one sentence REST answers, not a JSON dump of zod's issues.
    const issues = (error.cause as { issues?: unknown } | undefined)?.issues;
    if (error.code === "BAD_REQUEST" && Array.isArray(issues)) {
      return { ...shape, message: `Invalid request: ${describeIssues(issues)}.`, data };
    }
    return { ...shape, message: clip(shape.message, 1000), data: details ? { ...data, ...details } : data };
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

// ---- 3. The gate ----

/**
 * Every procedure is built from `procedure`, whose middleware finds the procedure's operation
 * (lib/policy.ts TRPC_OPERATIONS) and checks the caller's permission for it before the input is
 * even parsed — a procedure without an operation is refused. The operation itself (server/
 * services) checks again and writes the audit log, so this is the same decision, made early.
 */
export const procedure = t.procedure.use(appErrors).use(async ({ ctx, path, type, next, getRawInput }) => {
  const op = TRPC_OPERATIONS[path];
  if (!op) throw new TRPCError({ code: "FORBIDDEN", message: `No authorization rule for ${path}; refusing.` });
  if (ctx.authError) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authError.message });
  if (OPERATION_RULES[op] !== "public" || ctx.caller.principal) ctx.svc.authorize(ctx.caller, op, type === "mutation");
  // One check at the edge for every procedure: no ill-formed string reaches a query.
  const raw = await getRawInput().catch(() => undefined);
  const broken = findIllFormed(raw);
  if (broken) throw new TRPCError({ code: "BAD_REQUEST", message: illFormedMessage(broken) });
  return next();
});
