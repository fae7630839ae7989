import { z } from "zod";
import { WORKFLOW_LIMITS } from "@/lib/workflow";
import { procedure, router } from "../trpc";

const source = z.object({ source: z.string().max(WORKFLOW_LIMITS.sourceBytes), format: z.enum(["yaml", "json"]) });

export const templatesRouter = router({
  find: procedure.query(({ ctx }) => ctx.workflows.findTemplates()),
  get: procedure
    .input(z.object({ name: z.string().min(1).max(64), version: z.number().int().min(1).optional() }))
    .query(({ ctx, input }) => ctx.workflows.getTemplate(input.name, input.version)),
  /** Live validation for the editor: never throws for a bad template, it lists the issues. */
  validate: procedure.input(source).mutation(({ ctx, input }) => {
    const r = ctx.workflows.validate(input.source, input.format);
    if (!r.ok) return { ok: false as const, issues: r.issues };
    return { ok: true as const, definition: r.template, graph: ctx.workflows.previewGraph(r.template) };
  }),
  // "save", not "apply": tRPC reserves `apply` (routers are callable objects).
  save: procedure.input(source).mutation(async ({ ctx, input }) => (await ctx.workflows.apply(input.source, input.format, ctx.principalName)).version),
});
