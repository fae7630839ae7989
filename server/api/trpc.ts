/**
 * tRPC plumbing, in one place.
 *
 * 1. Context: who is calling (resolved once from the bearer token or session cookie) and the
 *    services procedures may call.
 * 2. Init: error formatting — AppError codes become tRPC codes, the message is the sentence
 *    the user sees; unexpected errors are logged and hidden.
 * 3. Procedure tiers: each tier's middleware narrows ctx. This slice has one admin login, so
 *    viewer and operator resolve to "logged in"; the identity work gives them real roles.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { CreateHTTPContextOptions } from "@trpc/server/adapters/standalone";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { TokenService } from "@/server/auth/tokens";
import type { SessionService } from "@/server/auth/session";
import type { WorkflowService } from "@/server/workflows/workflow-service";
import type { MessageService } from "@/server/messaging/message-service";
import { AppError } from "@/server/errors";
import { principalName, resolvePrincipal, type Principal } from "@/server/http/principal";
import { log } from "@/server/log";
import type { ErrorCode } from "@/lib/protocol";

// ---- 1. Context ----

export interface Services {
  coordinator: Coordinator;
  tokens: TokenService;
  sessions: SessionService;
  workflows: WorkflowService;
  messages: MessageService;
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
  return { ...services, principal, authError };
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
    return details ? { ...shape, data: { ...shape.data, ...details } } : shape;
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

// ---- 3. Procedure tiers ----


export const publicProcedure = t.procedure.use(appErrors);

/** Anyone logged in (or holding an API token) may read. */
export const viewerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.authError) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authError.message });
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in to continue." });
  return next({ ctx: { principal: ctx.principal, principalName: principalName(ctx.principal) } });
});

/** May change work: submit, cancel, retry. */
export const operatorProcedure = viewerProcedure;

/** May manage the system: tokens. A browser session is the bootstrap admin; tokens need admin scope. */
export const adminProcedure = viewerProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind === "token" && ctx.principal.token.scope !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs an admin." });
  }
  return next();
});
