import { z } from "zod";
import { adminProcedure, router } from "../trpc";

export const tokensRouter = router({
  find: adminProcedure.query(({ ctx }) => ctx.tokens.find()),
  create: adminProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(64),
        scope: z.enum(["agent", "admin"]).default("agent"),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.tokens.create(input)),
  revoke: adminProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => ctx.tokens.revoke(input.id)),
});
