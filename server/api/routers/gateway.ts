import { z } from "zod";
import { procedure, router } from "../trpc";

export const gatewayRouter = router({
  /** API traffic of the last `windowMinutes`: requests/s, p95 per route, 4xx/5xx, rate-limited. */
  stats: procedure.input(z.object({ windowMinutes: z.number().int().min(1).max(60).default(15) }).optional()).query(({ ctx, input }) => ctx.requestStats.snapshot(input?.windowMinutes ?? 15)),
});
