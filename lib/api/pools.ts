// Agent pools: the card their agents get, how they are launched, how they scale, and why they
// scaled — the schemas of every request and answer (tRPC, REST, OpenAPI).
import { z } from "zod";
import { agentCardSchema } from "@/lib/protocol";

const time = z.number().describe("epoch milliseconds");
const seconds = (max: number) => z.number().int().min(0).max(max).describe("milliseconds");
const HOUR = 3_600_000;

export const poolProviderSchema = z.enum(["local", "host", "external"]).meta({ id: "PoolProvider" });

const stepPolicy = (agents: number, percent: number, periodMs: number, stabilizationMs: number) =>
  z
    .object({
      agents: z.number().int().min(1).max(1000).default(agents),
      percent: z.number().int().min(1).max(1000).default(percent),
      periodMs: seconds(HOUR).min(1_000).default(periodMs),
      stabilizationMs: seconds(HOUR).default(stabilizationMs),
    })
    .default({ agents, percent, periodMs, stabilizationMs });

export const poolPolicySchema = z
  .object({
    min: z.number().int().min(0).max(1000).default(0),
    max: z.number().int().min(1).max(1000),
    /** Queued tasks one slot may have waiting before another agent is wanted. */
    targetBacklogPerSlot: z.number().gt(0).max(10_000).default(1),
    tolerance: z.number().min(0).max(1).default(0.1),
    up: stepPolicy(4, 100, 15_000, 0),
    down: stepPolicy(1, 50, 30_000, 120_000),
    cooldownMs: seconds(HOUR).default(60_000),
    /** From zero agents, only more than this many queued tasks wake the pool (KEDA's activation). */
    activationBacklog: z.number().int().min(0).max(100_000).default(0),
    predictive: z.object({ enabled: z.boolean().default(false), leadMs: seconds(24 * HOUR).min(60_000).default(600_000) }).default({ enabled: false, leadMs: 600_000 }),
  })
  .refine((p) => p.max >= p.min, { message: "must be at least min", path: ["max"] });
export type PoolPolicy = z.output<typeof poolPolicySchema>;

export const poolCardSchema = z.object({
  capabilities: agentCardSchema.shape.capabilities,
  labels: agentCardSchema.shape.labels,
  slots: agentCardSchema.shape.slots,
});

/** How a `local` pool's agents run: the runner's argv template (after `--`) and environment. */
export const poolLaunchSchema = z
  .object({
    template: z.array(z.string().max(2000)).max(64).default([]),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"), z.string().max(4000)).default({}),
    /** How long a stopping agent may let running tasks finish before they are handed back. */
    drainTimeoutMs: seconds(24 * HOUR).default(30_000),
  })
  .default({ template: [], env: {}, drainTimeoutMs: 30_000 });

export const poolInput = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "must be lower-case letters, digits and -, starting with a letter (at most 40)"),
  provider: poolProviderSchema.default("local"),
  card: poolCardSchema,
  launch: poolLaunchSchema,
  policy: poolPolicySchema,
  enabled: z.boolean().default(true),
});
export const updatePoolInput = poolInput.extend({ id: z.string().min(1).max(64) });
/** What an operator may change: the bounds (e.g. raise max during an incident), and pausing. */
const boundsFields = { min: z.number().int().min(0).max(1000), max: z.number().int().min(1).max(1000), enabled: z.boolean().optional() };
const boundsValid = (b: { min: number; max: number }) => b.max >= b.min;
export const poolBoundsBody = z.object(boundsFields).refine(boundsValid, { message: "must be at least min", path: ["max"] });
export const poolBoundsInput = z.object({ id: z.string().min(1).max(64), ...boundsFields }).refine(boundsValid, { message: "must be at least min", path: ["max"] });

export const poolInstanceSchema = z
  .object({ name: z.string(), state: z.enum(["starting", "running", "draining", "stopped", "crashed"]), pid: z.number().int().nullable(), startedAt: time, crashes: z.number().int(), agentId: z.string().nullable(), busySlots: z.number().int() })
  .meta({ id: "PoolInstance" });

export const poolDecisionSchema = z
  .object({
    id: z.number().int(),
    at: time,
    from: z.number().int(),
    to: z.number().int(),
    wanted: z.number().int(),
    reactive: z.number().int(),
    predictive: z.number().int().nullable(),
    backlog: z.number().int(),
    busySlots: z.number().int(),
    forecastSlots: z.number().nullable(),
    rule: z.string(),
    reason: z.string(),
    text: z.string().describe('"scaled 2 → 5: backlog 41 tasks over target 8 per slot"'),
  })
  .meta({ id: "PoolDecision" });
export type PoolDecisionView = z.infer<typeof poolDecisionSchema>;

export const poolViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: poolProviderSchema,
    card: z.object({ capabilities: z.array(z.object({ name: z.string(), level: z.number() })), labels: z.record(z.string(), z.string()), slots: z.number() }),
    launch: z.object({ template: z.array(z.string()), envKeys: z.array(z.string()), drainTimeoutMs: z.number() }),
    policy: poolPolicySchema,
    enabled: z.boolean(),
    current: z.number().int(),
    desired: z.number().int(),
    backlog: z.number().int(),
    busySlots: z.number().int(),
    atMax: z.boolean().describe("wanted more agents than max at the last decision"),
    crashes: z.number().int().describe("agents that died unasked in the last 10 minutes"),
    /** `host` pools: why the last start failed (no host with room), if it did. */
    waitingFor: z.string().nullable(),
    last: poolDecisionSchema.nullable(),
    instances: z.array(poolInstanceSchema),
    createdBy: z.string().nullable(),
    updatedAt: time,
  })
  .meta({ id: "Pool" });
export type PoolView = z.infer<typeof poolViewSchema>;

export const poolDecisionsInput = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), since: z.coerce.number().int().optional() });

/** KEDA's metrics-api scaler reads one number at a JSON path: `desiredReplicas` (or `backlog`). */
export const kedaScalerSchema = z
  .object({ desiredReplicas: z.number().int(), backlog: z.number().int(), busySlots: z.number().int(), currentReplicas: z.number().int(), min: z.number().int(), max: z.number().int() })
  .meta({ id: "PoolScaler" });
