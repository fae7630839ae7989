import { z } from "zod";
import { getTemplateInput, templateDetailSchema, templateSummarySchema, templateVersionViewSchema, validateTemplateOutput } from "@/lib/api";
import { WORKFLOW_LIMITS } from "@/lib/workflow";
import * as workflows from "@/server/services/workflows";
import { procedure, router } from "../trpc";

const source = z.object({ source: z.string().max(WORKFLOW_LIMITS.sourceBytes), format: z.enum(["yaml", "json"]) });

export const templatesRouter = router({
  find: procedure.output(z.array(templateSummarySchema)).query(({ ctx }) => workflows.findTemplates(ctx.svc, ctx.caller)),
  get: procedure.input(getTemplateInput).output(templateDetailSchema).query(({ ctx, input }) => workflows.getTemplate(ctx.svc, ctx.caller, input)),
  /** Live validation for the editor: never throws for a bad template, it lists the issues. */
  validate: procedure.input(source).output(validateTemplateOutput).mutation(({ ctx, input }) => workflows.validateTemplate(ctx.svc, ctx.caller, input)),
  // "save", not "apply": tRPC reserves `apply` (routers are callable objects).
  save: procedure
    .input(source)
    .output(templateVersionViewSchema)
    .mutation(async ({ ctx, input }) => (await workflows.saveTemplate(ctx.svc, ctx.caller, input)).version),
});
