// Errors are values at the edge: services throw AppError with a code and a sentence that says
// what to do; REST, tRPC and Socket.IO map the code once to their own status.
import type { z } from "zod";
import type { ErrorCode } from "@/lib/protocol";
import { describeIssues, findIllFormed, illFormedMessage } from "@/lib/validation";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Structured detail sent along with the message, e.g. every validation issue. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** How long a refusal that passes (429, 503) asks the caller to wait, if it says. */
export function retryAfterMsOf(e: unknown): number | undefined {
  const v = e instanceof AppError ? e.details?.retryAfterMs : undefined;
  return typeof v === "number" && v >= 0 ? v : undefined;
}

/** Retry-After in whole seconds (HTTP has no finer unit), at least 1. */
export const retryAfterHeader = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_ATTEMPT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A zod error as one sentence naming each bad field (see lib/validation.ts). */
export function describeZodError(issues: readonly z.core.$ZodIssue[]): string {
  return describeIssues(issues);
}

/** Refuses a request whose strings are not well-formed Unicode; checked at every edge. */
export function assertWellFormed(value: unknown) {
  const at = findIllFormed(value);
  if (at) throw new AppError("BAD_REQUEST", illFormedMessage(at));
}
