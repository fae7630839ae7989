import { z } from "zod";
import { byIdInput, tokenCreateInput, tokenCreatedSchema, tokenViewSchema } from "@/lib/api";
import * as identity from "@/server/services/identity";
import { procedure, router } from "../trpc";

export const tokensRouter = router({
  find: procedure.output(z.array(tokenViewSchema)).query(({ ctx }) => identity.findTokens(ctx.svc, ctx.caller)),
  create: procedure.input(tokenCreateInput).output(tokenCreatedSchema).mutation(({ ctx, input }) => identity.createToken(ctx.svc, ctx.caller, input)),
  revoke: procedure.input(byIdInput).output(tokenViewSchema).mutation(({ ctx, input }) => identity.revokeToken(ctx.svc, ctx.caller, input.id)),
});
