import { z } from "zod";
import {
  analyticsCapacityInput,
  analyticsCapacitySchema,
  analyticsErrorsInput,
  analyticsErrorsSchema,
  analyticsRecommendationsInput,
  analyticsRecommendationsSchema,
  analyticsSummaryInput,
  analyticsSummarySchema,
  errorStatusSchema,
  setErrorStatusInput,
} from "@/lib/api/insight";
import * as insight from "@/server/services/insight";
import { procedure, router } from "../trpc";

export const insightRouter = router({
  summary: procedure.input(analyticsSummaryInput).output(analyticsSummarySchema).query(({ ctx, input }) => insight.summary(ctx.svc, ctx.caller, input)),
  errors: procedure.input(analyticsErrorsInput).output(analyticsErrorsSchema).query(({ ctx, input }) => insight.errors(ctx.svc, ctx.caller, input)),
  capacity: procedure.input(analyticsCapacityInput).output(analyticsCapacitySchema).query(({ ctx, input }) => insight.capacity(ctx.svc, ctx.caller, input)),
  recommendations: procedure.input(analyticsRecommendationsInput).output(analyticsRecommendationsSchema).query(({ ctx, input }) => insight.recommendations(ctx.svc, ctx.caller, input)),
  setErrorStatus: procedure
    .input(setErrorStatusInput)
    .output(z.object({ id: z.string(), status: errorStatusSchema, statusBy: z.string().nullable(), statusAt: z.number().nullable() }))
    .mutation(({ ctx, input }) => insight.setErrorStatus(ctx.svc, ctx.caller, input)),
});
