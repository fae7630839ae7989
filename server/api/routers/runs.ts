import { z } from "zod";
import { procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });
const paramValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const runsRouter = router({
  start: procedure
    .input(z.object({ template: z.string().min(1).max(64), version: z.number().int().min(1).optional(), params: z.record(z.string().max(64), paramValue).default({}) }))
    .mutation(({ ctx, input }) => ctx.workflows.startRun(input.template, input.params, ctx.principalName, input.version)),
  find: procedure
    .input(
      z.object({
        status: z.enum(["running", "succeeded", "failed", "canceled"]).optional(),
        template: z.string().max(64).optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().max(64).nullish(),
      }),
    )
    .query(({ ctx, input }) => ctx.workflows.findRuns({ ...input, search: input.search || undefined, template: input.template || undefined, cursor: input.cursor ?? undefined })),
  get: procedure.input(byId).query(({ ctx, input }) => ctx.workflows.getRun(input.id)),
  cancel: procedure.input(byId).mutation(({ ctx, input }) => ctx.workflows.cancelRun(input.id, ctx.principalName)),
  rerun: procedure
    .input(z.object({ id: z.string().min(1).max(64), fromStep: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => ctx.workflows.rerun(input.id, input.fromStep, ctx.principalName)),
});
