// Tasks as the API answers them: the view, its history and log, why it waits, pages of tasks,
// dead letters. Times are epoch milliseconds. The request shapes (a task to submit, a batch)
// are the agent protocol's (lib/protocol.ts) and are re-exported here with the answers.
import { z } from "zod";
import { capabilitySchema, submitterSchema, taskSpecSchema, batchSubmitSchema } from "../protocol";
import { logStreamSchema, strategySchema, taskEventTypeSchema, taskStatusSchema, waitingCodeSchema } from "./enums";

export { taskSpecSchema, batchSubmitSchema };

const id = z.string().min(1).max(64);
const time = z.number().describe("epoch milliseconds");
const timeOrNull = time.nullable();

export const taskViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    command: z.string().nullable(),
    payload: z.unknown(),
    requirements: z.array(capabilitySchema),
    labelSelector: z.record(z.string(), z.string()),
    priority: z.number(),
    strategy: strategySchema.nullable(),
    status: taskStatusSchema,
    attempt: z.number().int().describe("the current (or last) attempt: the fencing token of every report"),
    maxAttempts: z.number().int(),
    agentId: z.string().nullable(),
    agentName: z.string().nullable(),
    progress: z.number().nullable(),
    result: z.unknown(),
    error: z.string().nullable(),
    timeoutMs: z.number().nullable(),
    progressTimeoutMs: z.number().nullable(),
    queueTimeoutMs: z.number().nullable(),
    idempotencyKey: z.string().nullable(),
    /** Set when the task is a step of a workflow run. */
    runId: z.string().nullable(),
    stepId: z.string().nullable(),
    /** Who asked for it. */
    submittedBy: submitterSchema.nullable(),
    createdAt: time,
    assignedAt: timeOrNull,
    startedAt: timeOrNull,
    finishedAt: timeOrNull,
    notBefore: timeOrNull,
    leaseExpiresAt: timeOrNull,
  })
  .meta({ id: "Task" });
export type TaskView = z.infer<typeof taskViewSchema>;

export const taskEventViewSchema = z
  .object({
    id: z.number().int(),
    taskId: z.string(),
    at: time,
    type: taskEventTypeSchema,
    attempt: z.number().int(),
    agentId: z.string().nullable(),
    agentName: z.string().nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: "TaskEvent" });
export type TaskEventView = z.infer<typeof taskEventViewSchema>;

export const taskLogLineSchema = z
  .object({ taskId: z.string(), attempt: z.number().int(), at: time, stream: logStreamSchema, line: z.string() })
  .meta({ id: "TaskLogLine" });
export type TaskLogLine = z.infer<typeof taskLogLineSchema>;

/** "Why is this task waiting?" — one true sentence plus its code. */
export const waitingSchema = z.object({ code: waitingCodeSchema, message: z.string() }).meta({ id: "WaitingExplanation" });
export type WaitingExplanation = z.infer<typeof waitingSchema>;

export const taskDetailSchema = z
  .object({ task: taskViewSchema, events: z.array(taskEventViewSchema), logs: z.array(taskLogLineSchema), waiting: waitingSchema.nullable() })
  .meta({ id: "TaskDetail" });
export type TaskDetail = z.infer<typeof taskDetailSchema>;

export const findTasksInput = z.object({
  status: taskStatusSchema.optional(),
  agentId: z.string().max(64).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Id of the last task of the previous page. */
  cursor: z.string().max(64).nullish(),
});
export type FindTasksInput = z.infer<typeof findTasksInput>;

export const taskPageSchema = z.object({ items: z.array(taskViewSchema), nextCursor: z.string().nullable() }).meta({ id: "TaskPage" });
export type TaskPage = z.infer<typeof taskPageSchema>;

export const byIdInput = z.object({ id });

export const deadLetterViewSchema = z
  .object({
    task: taskViewSchema,
    /** The error of every attempt, oldest first. */
    attempts: z.array(z.object({ attempt: z.number().int(), at: time, type: taskEventTypeSchema, agentName: z.string().nullable(), message: z.string().nullable() })),
  })
  .meta({ id: "DeadLetter" });
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

export const deadLettersInput = z.object({ limit: z.number().int().min(1).max(100).default(25), cursor: z.string().max(64).nullish(), search: z.string().max(200).optional() });
export const deadLetterPageSchema = z.object({ items: z.array(deadLetterViewSchema), nextCursor: z.string().nullable() });

export const retryManyInput = z.object({ ids: z.array(id).min(1).max(500) }).strict();
export const retryManyOutput = z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().nullable() }));
