// Agents and the fleet as the API answers them.
import { z } from "zod";
import { capabilitySchema } from "../protocol";
import { agentHealthSchema, agentKindSchema, agentStatusSchema } from "./enums";
import { taskViewSchema } from "./tasks";

const time = z.number().describe("epoch milliseconds");

export const resourceSampleSchema = z.object({ at: time, cpu: z.number(), memoryMb: z.number() }).meta({ id: "ResourceSample" });
export type ResourceSample = z.infer<typeof resourceSampleSchema>;

export const agentViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: agentKindSchema,
    status: agentStatusSchema,
    capabilities: z.array(capabilitySchema),
    labels: z.record(z.string(), z.string()),
    slots: z.number().int(),
    slotsUsed: z.number().int(),
    currentTasks: z.array(z.object({ id: z.string(), title: z.string() })),
    version: z.string(),
    cpu: z.number().nullable(),
    memoryMb: z.number().nullable(),
    lastHeartbeatAt: time.nullable(),
    connectedAt: time.nullable(),
    /** healthy → unhealthy (missed heartbeats, stuck work) → offline, and why. */
    health: agentHealthSchema,
    healthReason: z.string().nullable(),
    draining: z.boolean(),
    /** Whose tasks it runs (`--accept-from`); empty: anyone's. */
    acceptFrom: z.array(z.string()),
    /** An HTTP or MCP agent with a claim open right now: it is waiting for work. */
    polling: z.boolean(),
    /** Recent heartbeats, oldest first, for sparklines. */
    samples: z.array(resourceSampleSchema),
  })
  .meta({ id: "Agent" });
export type AgentView = z.infer<typeof agentViewSchema>;

export const findAgentsInput = z.object({ status: agentStatusSchema.optional() }).optional();

export const agentDetailSchema = z
  .object({ agent: agentViewSchema, currentTasks: z.array(taskViewSchema), recentTasks: z.array(taskViewSchema), samples: z.array(resourceSampleSchema) })
  .meta({ id: "AgentDetail" });
export type AgentDetail = z.infer<typeof agentDetailSchema>;

export const fleetStatsSchema = z
  .object({
    agents: z.object({ total: z.number().int(), online: z.number().int(), busy: z.number().int(), draining: z.number().int(), offline: z.number().int() }),
    tasks: z.object({ queued: z.number().int(), assigned: z.number().int(), running: z.number().int() }),
    /** Tasks that finished in the last minute. */
    tasksPerMinute: z.number(),
    /** Failed or dead, over all that finished in the last 5 minutes (0..1). */
    failureRate: z.number(),
    at: time,
  })
  .meta({ id: "FleetStats" });
export type FleetStats = z.infer<typeof fleetStatsSchema>;

export const drainInput = z.object({ id: z.string().min(1).max(64), drain: z.boolean().default(true) }).strict();
