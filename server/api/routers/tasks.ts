import { z } from "zod";
import { taskSpecSchema, taskStatusSchema } from "@/lib/protocol";
import { procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });

export const tasksRouter = router({
  find: procedure
    .input(
      z.object({
        status: taskStatusSchema.optional(),
        agentId: z.string().max(64).optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().max(64).nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await ctx.coordinator.store.findTasks({ ...input, cursor: input.cursor ?? undefined, search: input.search || undefined });
      return { items: page.items.map((t) => ctx.coordinator.taskView(t)), nextCursor: page.nextCursor };
    }),
  get: procedure.input(byId).query(({ ctx, input }) => ctx.coordinator.taskDetail(input.id)),
  submit: procedure.input(taskSpecSchema).mutation(async ({ ctx, input }) => {
    const [t] = await ctx.coordinator.submit([input]);
    return ctx.coordinator.taskView(t);
  }),
  cancel: procedure.input(byId).mutation(async ({ ctx, input }) => ctx.coordinator.taskView(await ctx.coordinator.cancel(input.id))),
  /** The dead-letter view: dead tasks with every attempt's error. */
  deadLetters: procedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(25), cursor: z.string().max(64).nullish(), search: z.string().max(200).optional() }))
    .query(({ ctx, input }) => ctx.coordinator.deadLetters({ limit: input.limit, cursor: input.cursor ?? undefined, search: input.search || undefined })),
  /** Requeue several finished tasks at once; one answer per task. */
  retryMany: procedure.input(z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(500) }).strict()).mutation(({ ctx, input }) => ctx.coordinator.retryMany(input.ids)),
  retry: procedure.input(byId).mutation(async ({ ctx, input }) => ctx.coordinator.taskView(await ctx.coordinator.retry(input.id))),
});
