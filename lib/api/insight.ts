// Insight: what the fleet's history says — analytics per capability, template, agent and label,
// bottlenecks, error groups with likely causes, capacity forecasts and recommendations. Every
// number here is computed by the server from its rollups (server/core/insight).
import { z } from "zod";

const time = z.number().describe("epoch milliseconds");
const ms = z.number().nullable().describe("milliseconds; null when nothing was measured");

export const insightRangeSchema = z.enum(["1h", "24h", "7d", "30d"]).meta({ id: "InsightRange" });
export type InsightRange = z.infer<typeof insightRangeSchema>;
export const INSIGHT_RANGES = insightRangeSchema.options;

export const insightDimensionSchema = z.enum(["capability", "template", "agent", "label"]).meta({ id: "InsightDimension" });
export type InsightDimension = z.infer<typeof insightDimensionSchema>;

export const statSchema = z
  .object({
    submitted: z.number(),
    started: z.number(),
    finished: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    dead: z.number(),
    canceled: z.number(),
    retries: z.number(),
    successRate: z.number().nullable().describe("succeeded / (succeeded + failed + dead)"),
    throughputPerHour: z.number().describe("tasks finished per hour"),
    waitP50Ms: ms,
    waitP95Ms: ms,
    waitP99Ms: ms,
    waitMeanMs: ms,
    runP50Ms: ms,
    runP95Ms: ms,
    runP99Ms: ms,
    runMeanMs: ms,
    busySlotHours: z.number(),
    availableSlotHours: z.number(),
    utilisation: z.number().nullable().describe("busy slot-time over offered slot-time, 0..1"),
    cpuMeanPct: z.number().nullable(),
    memMeanMb: z.number().nullable(),
  })
  .meta({ id: "Stat" });
export type StatView = z.infer<typeof statSchema>;

/** Where history came from: a simulated replay (npm run demo -- --history) is marked. */
export const simulatedSchema = z
  .object({ from: time, to: time, note: z.string() })
  .nullable()
  .meta({ id: "SimulatedHistory" });

export const seriesPointSchema = z
  .object({
    at: time,
    submitted: z.number(),
    finished: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    successRate: z.number().nullable(),
    waitP50Ms: ms,
    waitP95Ms: ms,
    waitP99Ms: ms,
    runP50Ms: ms,
    runP95Ms: ms,
    utilisation: z.number().nullable(),
    cpuMeanPct: z.number().nullable(),
    memMeanMb: z.number().nullable(),
  })
  .meta({ id: "SeriesPoint" });

export const breakdownRowSchema = z.object({ key: z.string(), label: z.string(), now: statSchema, previous: statSchema }).meta({ id: "BreakdownRow" });

export const workflowSummarySchema = z
  .object({
    template: z.string().describe("name@version"),
    runs: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    canceled: z.number(),
    durationP50Ms: ms,
    durationP95Ms: ms,
    criticalStep: z.object({ stepId: z.string(), share: z.number(), p50Ms: ms }).nullable(),
    gates: z.array(
      z.object({ stepId: z.string(), type: z.enum(["check", "approval"]), passed: z.number(), failed: z.number(), passRate: z.number().nullable(), waitP50Ms: ms, waitP95Ms: ms }),
    ),
    steps: z.array(z.object({ stepId: z.string(), ran: z.number(), critical: z.number(), p50Ms: ms, p95Ms: ms })),
  })
  .meta({ id: "WorkflowAnalytics" });

const subjectSchema = z.object({ dim: z.enum(["capability", "agent", "template"]), key: z.string(), label: z.string() });

export const bottleneckSchema = z
  .object({
    kind: z.enum(["queue_wait", "critical_step", "slow_agent", "approval_wait", "retries"]),
    subject: subjectSchema,
    score: z.number().describe("for ranking: roughly, task-minutes lost"),
    title: z.string(),
    evidence: z.array(z.string()),
  })
  .meta({ id: "Bottleneck" });
export type BottleneckView = z.infer<typeof bottleneckSchema>;

export const recommendationActionSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("raise_slots"), agentId: z.string(), agentName: z.string(), from: z.number(), to: z.number() }),
    z.object({ kind: z.literal("add_capacity"), capability: z.string(), slots: z.number() }),
    z.object({ kind: z.literal("drain_agent"), agentId: z.string(), agentName: z.string() }),
    z.object({ kind: z.literal("set_strategy"), capability: z.string(), strategy: z.literal("least-loaded") }),
  ])
  .meta({ id: "RecommendationAction" });

export const recommendationSchema = z
  .object({
    kind: z.enum(["add_capacity", "drain_flaky_agent", "change_strategy", "remove_idle_capacity"]),
    subject: subjectSchema,
    score: z.number(),
    title: z.string(),
    evidence: z.array(z.string()),
    effect: z.string(),
    action: recommendationActionSchema.nullable(),
  })
  .meta({ id: "Recommendation" });
export type RecommendationView = z.infer<typeof recommendationSchema>;

/** An explicit period instead of a named range (reports): both ends, in epoch ms, at most 400 days. */
const periodFields = {
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
};
const periodValid = (v: { from?: number; to?: number }, ctx: z.RefinementCtx) => {
  if ((v.from == null) !== (v.to == null)) ctx.addIssue({ code: "custom", path: [v.from == null ? "from" : "to"], message: "from and to go together" });
  else if (v.from != null && v.to != null) {
    if (v.to <= v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (v.to - v.from > 400 * 86_400_000) ctx.addIssue({ code: "custom", path: ["to"], message: "must be at most 400 days after from" });
  }
};

export const analyticsSummaryInput = z
  .object({
    range: insightRangeSchema.default("24h"),
    dimension: insightDimensionSchema.default("capability"),
    /** Queue-wait p95 the fleet should stay under, for bottlenecks. */
    targetWaitMs: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
    ...periodFields,
  })
  .superRefine(periodValid);
export type AnalyticsSummaryInput = z.input<typeof analyticsSummaryInput>;

export const utilisationRowSchema = z.object({ key: z.string(), label: z.string(), utilisation: z.number().nullable(), busySlotHours: z.number(), availableSlotHours: z.number() });

export const analyticsSummarySchema = z
  .object({
    range: insightRangeSchema,
    from: time,
    to: time,
    previousFrom: time,
    stepMs: z.number(),
    generatedAt: time,
    simulated: simulatedSchema,
    fleet: z.object({ now: statSchema, previous: statSchema }),
    series: z.array(seriesPointSchema),
    dimension: insightDimensionSchema,
    breakdown: z.array(breakdownRowSchema),
    utilisation: z.object({ agents: z.array(utilisationRowSchema), capabilities: z.array(utilisationRowSchema) }),
    resources: z.object({
      agents: z.array(z.object({ key: z.string(), label: z.string() })),
      /** The heatmap's points (coarser than the series' for 24 h and longer: one row per agent per point is read). */
      at: z.array(time),
      stepMs: z.number(),
      /** cpu[agent][point]: mean CPU, % of the agent's machine; null where it sent nothing. */
      cpu: z.array(z.array(z.number().nullable())),
    }),
    workflows: z.array(workflowSummarySchema),
    bottlenecks: z.array(bottleneckSchema),
  })
  .meta({ id: "AnalyticsSummary" });
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

// ---- Errors ----

export const errorStatusSchema = z.enum(["open", "resolved", "ignored"]).meta({ id: "ErrorGroupStatus" });

export const causeSignalSchema = z
  .object({ kind: z.enum(["concentrated", "after_change", "high_resources"]), message: z.string(), share: z.number() })
  .meta({ id: "CauseSignal" });

const countedSchema = z.object({ key: z.string(), count: z.number() });

export const errorOccurrenceSchema = z
  .object({
    taskId: z.string(),
    attempt: z.number(),
    at: time,
    agentId: z.string().nullable(),
    agentName: z.string().nullable(),
    agentVersion: z.string().nullable(),
    capability: z.string().nullable(),
    template: z.string().nullable(),
    cpuPct: z.number().nullable(),
    memPct: z.number().nullable(),
    message: z.string(),
  })
  .meta({ id: "ErrorOccurrence" });

export const errorGroupSchema = z
  .object({
    id: z.string().describe("the fingerprint"),
    title: z.string(),
    sample: z.string(),
    sampleLog: z.array(z.object({ stream: z.string(), line: z.string() })),
    firstSeen: time,
    lastSeen: time,
    count: z.number().describe("every occurrence ever (within retention)"),
    countInRange: z.number(),
    status: errorStatusSchema,
    statusBy: z.string().nullable(),
    statusAt: time.nullable(),
    /** It came back after it was resolved: a regression. */
    reopenedAt: time.nullable(),
    trend: z.array(z.number()).describe("occurrences per slot over the range"),
    affected: z.object({ agents: z.array(countedSchema), capabilities: z.array(countedSchema), templates: z.array(countedSchema), versions: z.array(countedSchema), labels: z.array(countedSchema) }),
    causes: z.array(causeSignalSchema),
    recent: z.array(errorOccurrenceSchema),
  })
  .meta({ id: "ErrorGroup" });
export type ErrorGroupView = z.infer<typeof errorGroupSchema>;

export const analyticsErrorsInput = z
  .object({
    range: insightRangeSchema.default("24h"),
    status: z.enum(["open", "resolved", "ignored", "all"]).default("open"),
    search: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    ...periodFields,
  })
  .superRefine(periodValid);
export type AnalyticsErrorsInput = z.input<typeof analyticsErrorsInput>;

export const analyticsErrorsSchema = z
  .object({ range: insightRangeSchema, from: time, to: time, generatedAt: time, simulated: simulatedSchema, groups: z.array(errorGroupSchema), totals: z.object({ open: z.number(), resolved: z.number(), ignored: z.number(), failuresInRange: z.number() }) })
  .meta({ id: "AnalyticsErrors" });
export type AnalyticsErrors = z.infer<typeof analyticsErrorsSchema>;

/** A new error group, a resolved one that came back, or a spike: pushed live, and what alerts build on. */
export const errorEventSchema = z
  .object({ kind: z.enum(["error_group_new", "error_group_reopened", "error_group_spike"]), groupId: z.string(), title: z.string(), at: time, message: z.string() })
  .meta({ id: "ErrorEvent" });
export type ErrorEventView = z.infer<typeof errorEventSchema>;

export const setErrorStatusInput = z.object({ id: z.string().min(1).max(64), status: errorStatusSchema });

// ---- Capacity ----

/** An IANA time zone name, checked against the runtime's own table. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Berlin or UTC");

export const analyticsCapacityInput = z.object({
  targetWaitMs: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
  /** IANA time zone for the shortfall texts ("Mon 09–12"). */
  timeZone: timeZoneSchema.default("UTC"),
  historyDays: z.coerce.number().int().min(2).max(90).default(28),
});
export type AnalyticsCapacityInput = z.input<typeof analyticsCapacityInput>;

export const capacityPlanSchema = z
  .object({
    capability: z.string(),
    method: z.string(),
    mape: z.number().nullable().describe("backtest error on the last 24 h of history, 0..1"),
    historyHours: z.number(),
    history: z.array(z.object({ at: time, submitted: z.number(), busySlotHours: z.number() })),
    backtest: z.array(z.object({ at: time, actual: z.number(), predicted: z.number() })),
    forecast: z.array(z.object({ at: time, submitted: z.number(), busySlotHours: z.number(), slotsNeeded: z.number() })),
    slotsNow: z.number(),
    serviceMs: ms,
    peakSlotsNeeded: z.number(),
    shortfalls: z.array(z.object({ from: time, to: time, extra: z.number(), peakNeeded: z.number(), text: z.string() })),
  })
  .meta({ id: "CapacityPlan" });

export const analyticsCapacitySchema = z
  .object({ generatedAt: time, targetWaitMs: z.number(), timeZone: z.string(), simulated: simulatedSchema, capabilities: z.array(capacityPlanSchema) })
  .meta({ id: "AnalyticsCapacity" });
export type AnalyticsCapacity = z.infer<typeof analyticsCapacitySchema>;

// ---- Recommendations ----

export const analyticsRecommendationsInput = z.object({
  range: insightRangeSchema.default("7d"),
  targetWaitMs: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
});
export const analyticsRecommendationsSchema = z
  .object({ range: insightRangeSchema, generatedAt: time, simulated: simulatedSchema, recommendations: z.array(recommendationSchema), bottlenecks: z.array(bottleneckSchema) })
  .meta({ id: "AnalyticsRecommendations" });
export type AnalyticsRecommendations = z.infer<typeof analyticsRecommendationsSchema>;

/** CSV export: `?format=csv&table=…` on the REST routes. */
export const csvTableSchema = z.enum(["breakdown", "series", "utilisation", "workflows", "bottlenecks", "errors", "forecast", "recommendations"]).meta({ id: "CsvTable" });
export type CsvTable = z.infer<typeof csvTableSchema>;
