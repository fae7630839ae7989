// API traffic the gateway measured: requests per route, latency, errors, rate limiting.
import { z } from "zod";

export const routeStatsSchema = z.object({
  route: z.string(),
  count: z.number().int(),
  perSecond: z.number(),
  p95Ms: z.number(),
  errors4xx: z.number().int(),
  errors5xx: z.number().int(),
  rateLimited: z.number().int(),
});
export type RouteStats = z.infer<typeof routeStatsSchema>;

export const gatewayStatsSchema = z
  .object({
    windowMinutes: z.number().int(),
    total: z.object({ count: z.number().int(), perSecond: z.number(), errors4xx: z.number().int(), errors5xx: z.number().int(), rateLimited: z.number().int(), p95Ms: z.number() }),
    routes: z.array(routeStatsSchema),
    /** One point per minute, oldest first. */
    timeline: z.array(z.object({ at: z.number(), count: z.number().int(), errors4xx: z.number().int(), errors5xx: z.number().int(), rateLimited: z.number().int() })),
    principals: z.array(z.object({ principal: z.string(), count: z.number().int() })),
  })
  .meta({ id: "GatewayStats" });
export type GatewayStats = z.infer<typeof gatewayStatsSchema>;

export const gatewayStatsInput = z.object({ windowMinutes: z.number().int().min(1).max(60).default(15) }).optional();
