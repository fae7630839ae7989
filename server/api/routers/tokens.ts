import { z } from "zod";
import { tokenScopeSchema } from "@/lib/policy";
import { procedure, router } from "../trpc";

export const tokensRouter = router({
  find: procedure.query(({ ctx }) => ctx.tokens.find()),
  create: procedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(64),
        scope: tokenScopeSchema.default("agent"),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.tokens.create(input)),
  revoke: procedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => ctx.tokens.revoke(input.id)),
});
