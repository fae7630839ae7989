// The port the transports call while tracing is on; server/tracing implements it (the services
// own the port, so they never import the tracer).
import type { Ack, Assignment } from "@/lib/protocol";

export interface TaskTracing {
  /** The assignment with the `traceparent` its agent passes on to the task (TRACEPARENT). */
  withTraceparent(assignment: Assignment): Assignment;
  /** A span for one agent-protocol socket event that just got its ack (`ms` after it arrived). */
  socketEvent(event: string, arg: unknown, ms: number, ack: Ack, agentId?: string): void;
}
