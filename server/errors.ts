// Errors are values at the edge: services throw AppError with a code and a sentence that says
// what to do; REST, tRPC and Socket.IO map the code once to their own status.
import type { ErrorCode } from "@/lib/protocol";

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

/** Formats a zod error as one sentence naming each bad field. */
export function describeZodError(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message))
    .join("; ");
}
