import { z } from "zod";
import { pendingApprovalSchema, runViewSchema } from "@/lib/api";
import * as workflows from "@/server/services/workflows";
import { procedure, router } from "../trpc";

export const approvalsRouter = router({
  find: procedure.output(z.array(pendingApprovalSchema)).query(({ ctx }) => workflows.pendingApprovals(ctx.svc, ctx.caller)),
  decide: procedure
    .input(z.object({ runId: z.string().min(1).max(64), stepId: z.string().min(1).max(64), decision: z.enum(["approve", "reject"]), comment: z.string().max(2000).optional() }))
    .output(runViewSchema)
    .mutation(({ ctx, input }) => workflows.decide(ctx.svc, ctx.caller, input)),
});
