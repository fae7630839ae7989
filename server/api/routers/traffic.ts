import { gatewayStatsInput, gatewayStatsSchema } from "@/lib/api";
import { trafficStats } from "@/server/services/health";
import { procedure, router } from "../trpc";

export const trafficRouter = router({
  /** API traffic of the last `windowMinutes`: requests/s, p95 per route, 4xx/5xx, rate-limited. */
  stats: procedure.input(gatewayStatsInput).output(gatewayStatsSchema).query(({ ctx, input }) => trafficStats(ctx.svc, ctx.caller, input?.windowMinutes ?? 15)),
});
