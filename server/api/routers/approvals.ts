import { z } from "zod";
import { procedure, router } from "../trpc";

export const approvalsRouter = router({
  find: procedure.query(({ ctx }) => ctx.workflows.pendingApprovals()),
  decide: procedure
    .input(
      z.object({
        runId: z.string().min(1).max(64),
        stepId: z.string().min(1).max(64),
        decision: z.enum(["approve", "reject"]),
        comment: z.string().max(2000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.workflows.decide(input.runId, input.stepId, input.decision, ctx.principalName, input.comment)),
});
