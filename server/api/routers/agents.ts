import { z } from "zod";
import { AppError } from "@/server/errors";
import { router, procedure } from "../trpc";

const statusSchema = z.enum(["online", "busy", "draining", "offline"]);

export const agentsRouter = router({
  find: procedure.input(z.object({ status: statusSchema.optional() }).optional()).query(({ ctx, input }) => {
    const all = ctx.coordinator.agentViews();
    return input?.status ? all.filter((a) => a.status === input.status) : all;
  }),
  get: procedure.input(z.object({ id: z.string().min(1).max(64) })).query(async ({ ctx, input }) => {
    const c = ctx.coordinator;
    const a = c.scheduler.agents.get(input.id);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${input.id}.`);
    const [recent, samples] = await Promise.all([
      c.store.findTasks({ agentId: input.id, limit: 20 }),
      c.store.agentSamples(input.id, Date.now() - 3_600_000),
    ]);
    const current = [...a.tasks].map((id) => c.scheduler.tasks.get(id)).filter((t) => !!t).map((t) => c.taskView(t));
    return { agent: c.agentView(a), currentTasks: current, recentTasks: recent.items.map((t) => c.taskView(t)), samples };
  }),
  /** Graceful drain from the dashboard: it finishes what it holds and takes nothing new (or resumes). */
  drain: procedure.input(z.object({ id: z.string().min(1).max(64), drain: z.boolean().default(true) }).strict()).mutation(async ({ ctx, input }) => {
    await ctx.coordinator.drainAgent(input.id, input.drain);
    return ctx.coordinator.agentView(ctx.coordinator.scheduler.agents.get(input.id)!);
  }),
});
