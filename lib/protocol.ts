// The agent protocol: one set of zod schemas used by the server (Socket.IO and REST),
// the agent SDK and the runner. Every message an agent sends is parsed with these before
// the coordinator sees it, and the SDK parses every server answer with them too.
import { z } from "zod";
import { agentKindSchema, logStreamSchema } from "./api/enums";

export {
  agentKindSchema,
  type AgentKind,
  logStreamSchema,
  type LogStream,
  taskStatusSchema,
  type TaskStatus,
  TERMINAL_STATUSES,
  isTerminal,
  strategySchema,
  type Strategy,
  errorCodeSchema,
  type ErrorCode,
} from "./api/enums";
import { strategySchema } from "./api/enums";

/** Limits that keep one agent from exhausting the server; errors name them. */
export const LIMITS = {
  nameLength: 64,
  titleLength: 200,
  commandLength: 8_000,
  payloadBytes: 256 * 1024,
  resultBytes: 256 * 1024,
  errorLength: 8_000,
  logLineLength: 4_000,
  logLinesPerReport: 500,
  capabilities: 32,
  labels: 32,
  slots: 64,
  batchSubmit: 1_000,
  requestBodyBytes: 1024 * 1024,
} as const;

/**
 * Size of a value as JSON; Infinity for what cannot be serialised at all (thousands of nesting
 * levels overflow JSON.stringify's stack), so the size check refuses it instead of throwing.
 */
export function jsonBytes(v: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(v ?? null), "utf8");
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export const identifier = z
  .string()
  .min(1)
  .max(LIMITS.nameLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "use letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

/** A capability an agent offers, or a task requires, with a proficiency level 1..5. */
export const capabilitySchema = z.object({
  name: identifier,
  level: z.number().int().min(1).max(5).default(1),
});
export type Capability = z.infer<typeof capabilitySchema>;

/** "typescript:3" or "test" (level 1) — the CLI's and the API's short form. */
export function parseCapability(text: string): Capability {
  const m = /^([^:]+?)(?::(\d+))?$/.exec(text.trim());
  const parsed = capabilitySchema.safeParse(m ? { name: m[1], level: m[2] ? Number(m[2]) : 1 } : {});
  if (!parsed.success) throw new Error(`invalid capability "${text}": expected name or name:level with level 1..5`);
  return parsed.data;
}

const capabilityInput = z.union([z.string().transform((s, ctx) => {
  try {
    return parseCapability(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
}), capabilitySchema]);

export const labelsSchema = z
  .record(z.string().min(1).max(LIMITS.nameLength), z.string().max(200))
  .refine((r) => Object.keys(r).length <= LIMITS.labels, `at most ${LIMITS.labels} labels`);


/**
 * Who asked for a task, carried to the agent that runs it: a user, an API token (with the user
 * who minted it, when one did) or a workflow run (with who triggered it).
 */
export const submitterSchema = z.object({
  kind: z.enum(["user", "token", "workflow"]),
  /** User name, token name, or workflow template name. */
  name: z.string(),
  /** The user's role or the token's scope; null for workflows. */
  role: z.string().nullable(),
  /** For a workflow: who triggered the run; for a token: the user who minted it, if any. */
  by: z.string().nullable().default(null),
});
export type Submitter = z.infer<typeof submitterSchema>;

/**
 * An agent's `--accept-from` rule: whose tasks it runs. `role:admin` (an admin user or an
 * admin-scoped token), `role:operator` (an operator or a submit-scoped token), `user:<name>`,
 * `token:<name>`, `workflow:<template>` or `workflow:*`. No rules: anyone's.
 */
export const acceptRuleSchema = z
  .string()
  .max(80)
  .regex(/^(role:(admin|operator|viewer)|user:[^\s]+|token:[^\s]+|workflow:([A-Za-z0-9][A-Za-z0-9._:-]*|\*))$/, "use role:<admin|operator>, user:<name>, token:<name>, workflow:<template> or workflow:*");

/** What an agent says about itself when it registers. */
export const agentCardSchema = z.object({
  name: identifier,
  capabilities: z.array(capabilityInput).max(LIMITS.capabilities).default([]),
  labels: labelsSchema.default({}),
  slots: z.number().int().min(1).max(LIMITS.slots).default(1),
  version: z.string().max(64).default(""),
  kind: agentKindSchema.default("sdk"),
  /** Message channels this agent listens to (see lib/messaging.ts). */
  channels: z.array(identifier).max(32).default([]),
  /** Runs only tasks whose submitter matches one of these (see acceptRuleSchema); empty: anyone's. */
  acceptFrom: z.array(acceptRuleSchema).max(16).default([]),
  /**
   * How long the server waits without a heartbeat (or open claim) before it counts the agent
   * lost and retries its work. Defaults to the server's lease TTL; an AI agent over MCP that
   * thinks for minutes between tool calls asks for more.
   */
  leaseTtlMs: z.number().int().min(1000).max(3_600_000).optional(),
});
export type AgentCardInput = z.input<typeof agentCardSchema>;
export type AgentCard = z.infer<typeof agentCardSchema>;

export const resourcesSchema = z.object({
  /** CPU used by the agent and its children, percent of one core. */
  cpu: z.number().min(0).max(100_000).optional(),
  memoryMb: z.number().min(0).max(10_000_000).optional(),
  /** Memory of the host, so resource-aware balancing can compare agents on different machines. */
  memoryTotalMb: z.number().min(0).max(10_000_000).optional(),
  cpuCount: z.number().int().min(1).max(4096).optional(),
});
export type Resources = z.infer<typeof resourcesSchema>;

export const heartbeatSchema = resourcesSchema.extend({
  /** Tasks the agent is actually running, so the server can reconcile. */
  taskIds: z.array(z.string().max(64)).max(LIMITS.slots * 4).optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const registeredSchema = z.object({
  agentId: z.string(),
  heartbeatIntervalMs: z.number(),
  leaseTtlMs: z.number(),
  /** Tasks this agent still holds from before a reconnect; it should keep reporting on them. */
  held: z.array(z.object({ taskId: z.string(), attempt: z.number() })),
});
export type Registered = z.infer<typeof registeredSchema>;

/** A task handed to an agent. `attempt` is the fencing token every report must carry. */
export const assignmentSchema = z.object({
  taskId: z.string(),
  attempt: z.number().int(),
  title: z.string(),
  command: z.string().nullable(),
  payload: z.unknown(),
  timeoutMs: z.number().nullable(),
  leaseExpiresAt: z.number(),
  /** Who asked for this task; runners with --accept-from check it. */
  submittedBy: submitterSchema.nullable().default(null),
  /**
   * W3C trace context of this attempt when the server traces (OpenTelemetry): runners pass it to
   * the task as TRACEPARENT. Optional both ways: older agents drop it, older servers omit it.
   */
  traceparent: z.string().max(512).optional(),
});
export type Assignment = z.infer<typeof assignmentSchema>;


export const logLineSchema = z.object({
  stream: logStreamSchema.default("stdout"),
  line: z.string().max(LIMITS.logLineLength * 4).transform((s) => s.slice(0, LIMITS.logLineLength)),
});

const attemptRef = { taskId: z.string().min(1).max(64), attempt: z.number().int().min(1) };

export const acceptSchema = z.object(attemptRef);
export const progressSchema = z.object({
  ...attemptRef,
  percent: z.number().min(0).max(100).optional(),
  message: z.string().max(500).optional(),
  logs: z.array(logLineSchema).max(LIMITS.logLinesPerReport).default([]),
});
export type ProgressReport = z.infer<typeof progressSchema>;
export const completeSchema = z.object({
  ...attemptRef,
  result: z.unknown().refine((v) => jsonBytes(v) <= LIMITS.resultBytes, `result must be at most ${LIMITS.resultBytes} bytes of JSON`).optional(),
});
export const failSchema = z.object({
  ...attemptRef,
  error: z.string().max(LIMITS.errorLength * 4).transform((s) => s.slice(0, LIMITS.errorLength)),
  /** false when retrying cannot help (bad input); the task then fails without further attempts. */
  retryable: z.boolean().default(true),
  result: z.unknown().optional(),
});
/** The agent gives a task back untouched (e.g. on shutdown); it is requeued without using an attempt. */
export const releaseSchema = z.object({ ...attemptRef, reason: z.string().max(500).default("released by agent") });

export const cancelNoticeSchema = z.object({ taskId: z.string(), attempt: z.number(), reason: z.string() });
export type CancelNotice = z.infer<typeof cancelNoticeSchema>;

// ---- Task submission (operators, CLI, API clients) ----


export const retryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(100).default(3),
  backoffMs: z.number().int().min(0).max(3_600_000).default(1000),
});

export const taskSpecSchema = z
  .object({
    title: z.string().trim().min(1).max(LIMITS.titleLength),
    command: z.string().min(1).max(LIMITS.commandLength).optional(),
    payload: z
      .unknown()
      .refine((v) => jsonBytes(v) <= LIMITS.payloadBytes, `payload must be at most ${LIMITS.payloadBytes} bytes of JSON`)
      .optional(),
    requires: z.array(capabilityInput).max(LIMITS.capabilities).default([]),
    labels: labelsSchema.default({}),
    priority: z.number().int().min(-1000).max(1000).default(0),
    strategy: strategySchema.optional(),
    timeoutMs: z.number().int().min(100).max(7 * 24 * 3_600_000).optional(),
    /** Stuck detection: a running attempt that reports no progress or log line for this long is reassigned. */
    progressTimeoutMs: z.number().int().min(1000).max(7 * 24 * 3_600_000).optional(),
    /** Give up (final state `dead`) when no agent has taken the task this long after it was queued. */
    queueTimeoutMs: z.number().int().min(1000).max(30 * 24 * 3_600_000).optional(),
    retry: retryPolicySchema.default({ maxAttempts: 3, backoffMs: 1000 }),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export type TaskSpecInput = z.input<typeof taskSpecSchema>;
export type TaskSpec = z.infer<typeof taskSpecSchema>;

export const batchSubmitSchema = z.object({ tasks: z.array(taskSpecSchema).min(1).max(LIMITS.batchSubmit) }).strict();
/** Either one task or a batch; the server parses the two shapes separately for clearer errors. */
export const submitBodySchema = z.union([taskSpecSchema, batchSubmitSchema]);

// ---- Results of agent calls ----

import { errorCodeSchema, type ErrorCode } from "./api/enums";

export const ackSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: z.object({ code: errorCodeSchema, message: z.string(), retryAfterMs: z.number().optional() }) }),
]);
/** A refusal that passes (rate limit, load shedding) says when to try again: `retryAfterMs`. */
export type Ack<T = unknown> = { ok: true; data?: T } | { ok: false; error: { code: ErrorCode; message: string; retryAfterMs?: number } };

