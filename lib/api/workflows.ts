// Workflow templates and runs as the API answers them, and the requests that start and steer runs.
// The template's own shape (what an author writes) is lib/workflow.ts's templateSchema.
import { z } from "zod";
import { WORKFLOW_LIMITS, paramSchema, templateSchema } from "../workflow";
import { STEP_STATUSES, failurePolicySchema, runStatusSchema, stepStatusSchema, stepTypeSchema, type StepStatus } from "./enums";

const time = z.number().describe("epoch milliseconds");
const id = z.string().min(1).max(64);

export const paramValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean()]);
export const paramValuesSchema = z.record(z.string(), paramValueSchema);
export type ParamValues = z.infer<typeof paramValuesSchema>;

export const gateDecisionSchema = z
  .object({ decision: z.enum(["approved", "rejected", "passed", "failed"]), by: z.string(), comment: z.string().nullable(), at: time })
  .meta({ id: "GateDecision" });
export type GateDecisionView = z.infer<typeof gateDecisionSchema>;

export const stepViewSchema = z
  .object({
    /** Unique in the run; fan-out copies are `<id>_<n>`. */
    id: z.string(),
    /** The template step it comes from. */
    templateStepId: z.string(),
    type: stepTypeSchema,
    title: z.string(),
    status: stepStatusSchema,
    dependsOn: z.array(z.string()),
    taskId: z.string().nullable(),
    agentId: z.string().nullable(),
    agentName: z.string().nullable(),
    attempt: z.number().int(),
    result: z.unknown(),
    error: z.string().nullable(),
    startedAt: time.nullable(),
    finishedAt: time.nullable(),
    decisions: z.array(gateDecisionSchema),
    /** Approval steps: what the approver is asked to check. */
    description: z.string().nullable(),
    /** Approval steps: when the run stops waiting by itself, and what it then decides. */
    approvalDeadline: time.nullable(),
  })
  .meta({ id: "Step" });
export type StepView = z.infer<typeof stepViewSchema>;

const runFields = {
  id: z.string(),
  templateName: z.string(),
  templateVersion: z.number().int(),
  status: runStatusSchema,
  params: paramValuesSchema,
  failurePolicy: failurePolicySchema,
  concurrency: z.number().int(),
  triggeredBy: z.string(),
  error: z.string().nullable(),
  createdAt: time,
  finishedAt: time.nullable(),
};

export const runViewSchema = z.object({ ...runFields, steps: z.array(stepViewSchema) }).meta({ id: "Run" });
export type RunView = z.infer<typeof runViewSchema>;

export const runSummarySchema = z
  .object({ ...runFields, counts: z.record(stepStatusSchema, z.number().int()), total: z.number().int() })
  .meta({ id: "RunSummary" });
export type RunSummary = z.infer<typeof runSummarySchema>;

export const templateSummarySchema = z
  .object({ name: z.string(), description: z.string(), latestVersion: z.number().int(), builtin: z.boolean(), params: z.array(paramSchema), updatedAt: time })
  .meta({ id: "TemplateSummary" });
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const templateVersionViewSchema = z
  .object({ name: z.string(), version: z.number().int(), source: z.string(), definition: templateSchema, createdAt: time, createdBy: z.string() })
  .meta({ id: "TemplateVersion" });
export type TemplateVersionView = z.infer<typeof templateVersionViewSchema>;

export const templateDetailSchema = z
  .object({
    template: templateSummarySchema,
    version: templateVersionViewSchema,
    /** Every version, newest first. */
    versions: z.array(z.object({ version: z.number().int(), createdAt: time, createdBy: z.string() })),
  })
  .meta({ id: "TemplateDetail" });
export type TemplateDetail = z.infer<typeof templateDetailSchema>;

export const validationIssueSchema = z
  .object({
    /** The step the problem is in, when it is in one. */
    step: z.string().nullable(),
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: "ValidationIssue" });
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const templateSourceInput = z
  .object({ source: z.string().min(1).max(WORKFLOW_LIMITS.sourceBytes), format: z.enum(["yaml", "json"]).default("yaml") })
  .strict()
  .meta({ id: "TemplateSource" });
export const appliedTemplateSchema = z.object({ version: templateVersionViewSchema, created: z.boolean() }).meta({ id: "AppliedTemplate" });

export const previewStepSchema = z.object({ id: z.string(), type: stepTypeSchema, title: z.string(), dependsOn: z.array(z.string()) });
export const validateTemplateOutput = z.union([
  z.object({ ok: z.literal(false), issues: z.array(validationIssueSchema) }),
  z.object({ ok: z.literal(true), definition: templateSchema, graph: z.array(previewStepSchema) }),
]);

export const getTemplateInput = z.object({ name: id, version: z.coerce.number().int().min(1).optional() });

export const startRunInput = z
  .object({ params: z.record(z.string().max(64), paramValueSchema).default({}), version: z.number().int().min(1).optional() })
  .strict()
  .meta({ id: "StartRun" });

export const findRunsInput = z.object({
  status: runStatusSchema.optional(),
  template: z.string().max(64).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).nullish(),
});
export const runPageSchema = z.object({ items: z.array(runSummarySchema), nextCursor: z.string().nullable() });

export const rerunInput = z.object({ fromStep: id }).strict();
export const decisionInput = z.object({ comment: z.string().max(2000).optional() }).strict();

export const pendingApprovalSchema = z.object({ run: runSummarySchema, step: stepViewSchema }).meta({ id: "PendingApproval" });
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;

/** How many steps are in each status. */
export function countStatuses(statuses: readonly StepStatus[]): Record<StepStatus, number> {
  const counts = Object.fromEntries(STEP_STATUSES.map((k) => [k, 0])) as Record<StepStatus, number>;
  for (const s of statuses) counts[s]++;
  return counts;
}

export function summarizeRun(run: RunView): RunSummary {
  const { steps, ...rest } = run;
  return { ...rest, counts: countStatuses(steps.map((s) => s.status)), total: steps.length };
}
