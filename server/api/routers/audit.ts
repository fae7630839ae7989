import { z } from "zod";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  find: procedure
    .input(
      z.object({
        actor: z.string().max(100).optional(),
        action: z.string().max(100).optional(),
        outcome: z.enum(["ok", "denied", "failed"]).optional(),
        search: z.string().max(200).optional(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.number().int().nullish(),
      }),
    )
    .query(({ ctx, input }) => ctx.audit.find({ ...input, actor: input.actor || undefined, action: input.action || undefined, search: input.search || undefined, cursor: input.cursor ?? undefined })),
});
