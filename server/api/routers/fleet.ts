import { fleetStatsSchema } from "@/lib/api";
import { fleetStats } from "@/server/services/agents";
import { procedure, router } from "../trpc";

export const fleetRouter = router({
  stats: procedure.output(fleetStatsSchema).query(({ ctx }) => fleetStats(ctx.svc, ctx.caller)),
});
