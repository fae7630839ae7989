// Insight over history: analytics, errors, capacity, recommendations (reads), and an operator
// resolving or ignoring an error group (audited).
import type { AnalyticsCapacityInput, AnalyticsErrorsInput, AnalyticsSummaryInput, ErrorGroupView } from "@/lib/api/insight";
import type { analyticsRecommendationsInput } from "@/lib/api/insight";
import type { z } from "zod";
import { principalName } from "@/server/auth/principal";
import type { Caller, ServiceContext } from "./context";

export const summary = (s: ServiceContext, caller: Caller, input: AnalyticsSummaryInput) => s.read(caller, "insight.summary", () => s.insight.summary(input));

export const errors = (s: ServiceContext, caller: Caller, input: AnalyticsErrorsInput) => s.read(caller, "insight.errors", () => s.insight.errors(input));

export const capacity = (s: ServiceContext, caller: Caller, input: AnalyticsCapacityInput) => s.read(caller, "insight.capacity", () => s.insight.capacity(input));

export const recommendations = (s: ServiceContext, caller: Caller, input: z.input<typeof analyticsRecommendationsInput>) =>
  s.read(caller, "insight.recommendations", () => s.insight.recommendations(input));

/** Resolve, ignore or reopen an error group; a resolved group that fails again is flagged as a regression. */
export const setErrorStatus = (s: ServiceContext, caller: Caller, input: { id: string; status: ErrorGroupView["status"] }) =>
  s.mutate(
    caller,
    "insight.setErrorStatus",
    async (p) => {
      const g = await s.deps.coordinator.setErrorGroupStatus(input.id, input.status, principalName(p));
      return { id: g.id, status: g.status, statusBy: g.statusBy, statusAt: g.statusAt };
    },
    { input, target: `error:${input.id}` },
  );
