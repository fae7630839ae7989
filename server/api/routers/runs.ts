import { z } from "zod";
import { byIdInput, findRunsInput, paramValueSchema, runPageSchema, runViewSchema } from "@/lib/api";
import * as workflows from "@/server/services/workflows";
import { procedure, router } from "../trpc";

export const runsRouter = router({
  start: procedure
    .input(z.object({ template: z.string().min(1).max(64), version: z.number().int().min(1).optional(), params: z.record(z.string().max(64), paramValueSchema).default({}) }))
    .output(runViewSchema)
    .mutation(({ ctx, input }) => workflows.startRun(ctx.svc, ctx.caller, input)),
  find: procedure.input(findRunsInput).output(runPageSchema).query(({ ctx, input }) => workflows.findRuns(ctx.svc, ctx.caller, input)),
  get: procedure.input(byIdInput).output(runViewSchema).query(({ ctx, input }) => workflows.getRun(ctx.svc, ctx.caller, input.id)),
  cancel: procedure.input(byIdInput).output(runViewSchema).mutation(({ ctx, input }) => workflows.cancelRun(ctx.svc, ctx.caller, input.id)),
  rerun: procedure
    .input(z.object({ id: z.string().min(1).max(64), fromStep: z.string().min(1).max(64) }))
    .output(runViewSchema)
    .mutation(({ ctx, input }) => workflows.rerun(ctx.svc, ctx.caller, input)),
});
