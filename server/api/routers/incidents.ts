import { z } from "zod";
import { procedure, router } from "../trpc";

const kind = z.enum(["agent_lost", "agent_unhealthy", "agent_recovered", "task_stuck", "task_retried", "task_dead", "task_timed_out", "queue_timeout", "server_restarted"]);

export const incidentsRouter = router({
  find: procedure
    .input(z.object({ kind: kind.optional(), since: z.number().int().optional(), limit: z.number().int().min(1).max(200).default(50), cursor: z.number().int().nullish() }))
    .query(({ ctx, input }) => ctx.incidents.find({ ...input, cursor: input.cursor ?? undefined })),
  counts: procedure.input(z.object({ windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60) }).optional()).query(({ ctx, input }) => ctx.incidents.counts(input?.windowMinutes ?? 60)),
});
