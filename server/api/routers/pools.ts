import { z } from "zod";
import { poolBoundsInput, poolDecisionSchema, poolDecisionsInput, poolInput, poolViewSchema, updatePoolInput } from "@/lib/api/pools";
import * as pools from "@/server/services/pools";
import { procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });

export const poolsRouter = router({
  list: procedure.output(z.object({ pools: z.array(poolViewSchema) })).query(({ ctx }) => pools.list(ctx.svc, ctx.caller)),
  get: procedure.input(byId).output(poolViewSchema).query(({ ctx, input }) => pools.get(ctx.svc, ctx.caller, input)),
  decisions: procedure.input(byId.extend(poolDecisionsInput.shape)).output(z.object({ decisions: z.array(poolDecisionSchema) })).query(({ ctx, input }) => pools.decisions(ctx.svc, ctx.caller, input)),
  setBounds: procedure.input(poolBoundsInput).output(poolViewSchema).mutation(({ ctx, input }) => pools.setBounds(ctx.svc, ctx.caller, input)),
  create: procedure.input(poolInput).output(poolViewSchema).mutation(({ ctx, input }) => pools.create(ctx.svc, ctx.caller, input)),
  update: procedure.input(updatePoolInput).output(poolViewSchema).mutation(({ ctx, input }) => pools.update(ctx.svc, ctx.caller, input)),
  delete: procedure.input(byId).output(z.object({ ok: z.literal(true) })).mutation(({ ctx, input }) => pools.remove(ctx.svc, ctx.caller, input)),
});
