// W3C trace context for tasks, without storing anything: ids derived from the task id.
//
// A task's spans are created after the fact, when it ends (task-spans.ts), but its agent must be
// told where it sits in the trace when the attempt starts. Deriving the ids from the task id
// (sha256, truncated) lets both sides compute the same ids independently, with no schema change
// and across restarts: the attempt span an agent's TRACEPARENT names is the span exported later.
// Task ids carry 40 random bits and a millisecond clock, so two installations sharing one
// tracing backend do not collide in practice.
import { createHash } from "node:crypto";
import { TraceFlags, isSpanContextValid, type SpanContext } from "@opentelemetry/api";

function digest(parts: (string | number)[], hexChars: number): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, hexChars);
  // An all-zero id is invalid in W3C trace context; one in 2^64 (2^128), but never emit one.
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/** The trace of a task that was not submitted inside a traced request (or whose parent was lost). */
export const traceIdOf = (taskId: string): string => digest(["switchboard.trace", taskId], 32);

/** The task span of one life: `lifeStartedAt` is when it was submitted, or requeued by an operator. */
export const taskSpanIdOf = (taskId: string, lifeStartedAt: number): string => digest(["switchboard.task", taskId, lifeStartedAt], 16);

/** Attempt numbers keep counting across an operator's retry, so (task, attempt) is unique. */
export const attemptSpanIdOf = (taskId: string, attempt: number): string => digest(["switchboard.attempt", taskId, attempt], 16);

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * A `traceparent` header as a remote span context; null when absent or malformed (a bad header
 * starts a new trace, it never fails the request). Version ff is invalid; versions above 00 may
 * carry more fields after the four we read.
 */
export function parseTraceparent(header: string | string[] | undefined): SpanContext | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > 512) return null;
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || m[1] === "ff" || (m[1] === "00" && m[5] !== undefined)) return null;
  const sc: SpanContext = { traceId: m[2], spanId: m[3], traceFlags: parseInt(m[4], 16) & 0xff, isRemote: true };
  return isSpanContextValid(sc) ? sc : null;
}

export function formatTraceparent(sc: Pick<SpanContext, "traceId" | "spanId" | "traceFlags">): string {
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & TraceFlags.SAMPLED ? 1 : 0).toString(16).padStart(2, "0")}`;
}
