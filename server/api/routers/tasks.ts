import { z } from "zod";
import { byIdInput, deadLetterPageSchema, deadLettersInput, findTasksInput, retryManyInput, retryManyOutput, taskDetailSchema, taskPageSchema, taskSpecSchema, taskViewSchema } from "@/lib/api";
import * as tasks from "@/server/services/tasks";
import { procedure, router } from "../trpc";

export const tasksRouter = router({
  find: procedure
    .input(findTasksInput.extend({ limit: z.number().int().min(1).max(200).default(50) }))
    .output(taskPageSchema)
    .query(({ ctx, input }) => tasks.findTasks(ctx.svc, ctx.caller, input)),
  get: procedure.input(byIdInput).output(taskDetailSchema).query(({ ctx, input }) => tasks.getTask(ctx.svc, ctx.caller, input.id)),
  submit: procedure
    .input(taskSpecSchema)
    .output(taskViewSchema)
    .mutation(async ({ ctx, input }) => (await tasks.submitTasks(ctx.svc, ctx.caller, [input]))[0]),
  cancel: procedure.input(byIdInput).output(taskViewSchema).mutation(({ ctx, input }) => tasks.cancelTask(ctx.svc, ctx.caller, input.id)),
  retry: procedure.input(byIdInput).output(taskViewSchema).mutation(({ ctx, input }) => tasks.retryTask(ctx.svc, ctx.caller, input.id)),
  /** Requeue several finished tasks at once; one answer per task. */
  retryMany: procedure.input(retryManyInput).output(retryManyOutput).mutation(({ ctx, input }) => tasks.retryTasks(ctx.svc, ctx.caller, input.ids)),
  /** The dead-letter view: dead tasks with every attempt's error. */
  deadLetters: procedure.input(deadLettersInput).output(deadLetterPageSchema).query(({ ctx, input }) => tasks.deadLetters(ctx.svc, ctx.caller, input)),
});
