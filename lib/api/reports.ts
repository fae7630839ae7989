// Reports: scheduled daily and weekly fleet reports, on-demand reports for any period, and the
// figures they are made of — the schemas of every request and answer (tRPC, REST, OpenAPI).
import { z } from "zod";
import { statSchema, simulatedSchema, timeZoneSchema } from "./insight";

const time = z.number().describe("epoch milliseconds");
const ms = z.number().nullable().describe("milliseconds");
const DAY = 86_400_000;

const timeZone = timeZoneSchema;

// ---- What a report says ----

export const fleetReportSchema = z
  .object({
    title: z.string(),
    from: time,
    to: time,
    previousFrom: time,
    timeZone: z.string(),
    generatedAt: time,
    simulated: simulatedSchema,
    fleet: z.object({ now: statSchema, previous: statSchema }),
    /** Finished tasks per point (an hour for a day, a day for a week or longer). */
    series: z.array(z.object({ at: time, succeeded: z.number(), failed: z.number() })),
    stepMs: z.number(),
    capabilities: z.array(z.object({ key: z.string(), now: statSchema, previous: statSchema })),
    errors: z.array(z.object({ id: z.string(), title: z.string(), count: z.number(), status: z.string(), firstSeen: time, isNew: z.boolean() })),
    bottlenecks: z.array(z.object({ title: z.string(), evidence: z.array(z.string()) })),
    capacity: z.array(z.object({ capability: z.string(), slotsNow: z.number(), peakSlotsNeeded: z.number(), shortfalls: z.array(z.string()) })),
    alerts: z.object({ fired: z.number(), resolved: z.number(), byRule: z.array(z.object({ name: z.string(), severity: z.string(), fired: z.number() })) }),
    approvals: z.array(z.object({ template: z.string(), stepId: z.string(), decided: z.number(), waitP50Ms: ms, waitP95Ms: ms })),
  })
  .meta({ id: "FleetReport" });
export type FleetReport = z.infer<typeof fleetReportSchema>;

export const reportMetaSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    scheduleId: z.string().nullable(),
    from: time,
    to: time,
    createdAt: time,
    createdBy: z.string().nullable(),
    /** Relative links: the HTML page, the PDF. */
    htmlUrl: z.string(),
    pdfUrl: z.string(),
  })
  .meta({ id: "ReportMeta" });
export type ReportMeta = z.infer<typeof reportMetaSchema>;

export const reportViewSchema = reportMetaSchema.extend({ report: fleetReportSchema }).meta({ id: "Report" });

// ---- Schedules ----

export const reportScheduleInput = z.object({
  name: z.string().trim().min(1).max(80),
  /** Five fields (minute hour day-of-month month day-of-week), read in `timeZone`. */
  cron: z.string().trim().min(9).max(100),
  timeZone: timeZone.default("UTC"),
  /** What each report covers, ending at its scheduled time: the day or the week before. */
  period: z.enum(["day", "week"]),
  /** After downtime: skip the missed reports, or produce each (at most 10). */
  catchUp: z.enum(["skip", "catch-up"]).default("skip"),
  /** Alert channels (e-mail, webhook, Slack) to send each report to. */
  channelIds: z.array(z.string().min(1).max(64)).max(10).default([]),
  enabled: z.boolean().default(true),
});
export const updateReportScheduleInput = reportScheduleInput.extend({ id: z.string().min(1).max(64) });

export const reportScheduleViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    cron: z.string(),
    timeZone: z.string(),
    period: z.enum(["day", "week"]),
    catchUp: z.enum(["skip", "catch-up"]),
    channelIds: z.array(z.string()),
    enabled: z.boolean(),
    builtIn: z.boolean(),
    /** When it last made a report (on schedule or "Run now"). */
    lastRunAt: time.nullable(),
    nextRunAt: time.nullable(),
    createdBy: z.string().nullable(),
    updatedAt: time,
  })
  .meta({ id: "ReportSchedule" });
export type ReportScheduleView = z.infer<typeof reportScheduleViewSchema>;

export const reportListInput = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().optional() });
export const reportListSchema = z.object({ reports: z.array(reportMetaSchema), schedules: z.array(reportScheduleViewSchema) }).meta({ id: "ReportList" });

/** A report on demand: any period up to 400 days, ending no later than now. */
export const reportRequestInput = z
  .object({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    title: z.string().trim().min(1).max(120).optional(),
    timeZone: timeZone.default("UTC"),
  })
  .refine((r) => r.to > r.from, { message: "must be after from", path: ["to"] })
  .refine((r) => r.to - r.from <= 400 * DAY, { message: "must be at most 400 days after from", path: ["to"] });

// ---- Exports ----

export const exportTableSchema = z.enum(["tasks", "runs", "alerts"]).meta({ id: "ExportTable" });
export const exportInput = z
  .object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) })
  .refine((r) => r.to > r.from, { message: "must be after from", path: ["to"] })
  .refine((r) => r.to - r.from <= 400 * DAY, { message: "must be at most 400 days after from", path: ["to"] });
