import { auditPageSchema, findAuditInput } from "@/lib/api";
import { findAudit } from "@/server/services/identity";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  find: procedure
    .input(findAuditInput)
    .output(auditPageSchema)
    .query(({ ctx, input }) =>
      findAudit(ctx.svc, ctx.caller, { ...input, actor: input.actor || undefined, action: input.action || undefined, search: input.search || undefined, cursor: input.cursor ?? undefined }),
    ),
});
