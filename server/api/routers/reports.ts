import { z } from "zod";
import { reportListInput, reportListSchema, reportMetaSchema, reportRequestInput, reportScheduleInput, reportScheduleViewSchema, reportViewSchema, updateReportScheduleInput } from "@/lib/api/reports";
import * as reports from "@/server/services/reports";
import { procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });
const ok = z.object({ ok: z.literal(true) });

// HTML, PDF and CSV are files: they are served over REST only (GET /api/v1/reports/:id/pdf …).
export const reportsRouter = router({
  list: procedure.input(reportListInput).output(reportListSchema).query(({ ctx, input }) => reports.list(ctx.svc, ctx.caller, input)),
  get: procedure.input(byId).output(reportViewSchema).query(({ ctx, input }) => reports.get(ctx.svc, ctx.caller, input)),
  create: procedure.input(reportRequestInput).output(reportMetaSchema).mutation(({ ctx, input }) => reports.create(ctx.svc, ctx.caller, input)),
  createSchedule: procedure.input(reportScheduleInput).output(reportScheduleViewSchema).mutation(({ ctx, input }) => reports.createSchedule(ctx.svc, ctx.caller, input)),
  updateSchedule: procedure.input(updateReportScheduleInput).output(reportScheduleViewSchema).mutation(({ ctx, input }) => reports.updateSchedule(ctx.svc, ctx.caller, input)),
  deleteSchedule: procedure.input(byId).output(ok).mutation(({ ctx, input }) => reports.deleteSchedule(ctx.svc, ctx.caller, input)),
  runSchedule: procedure.input(byId).output(reportMetaSchema).mutation(({ ctx, input }) => reports.runSchedule(ctx.svc, ctx.caller, input)),
});
