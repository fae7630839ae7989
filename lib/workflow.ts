// Workflow templates: the schema of a template as authored (YAML or JSON), shared by the
// server, the dashboard's editor and the CLI. Structural checks live here; checks that need
// the whole graph (cycles, unknown dependencies, interpolation references) are in
// server/core/workflow/validate.ts and report the step they occur in.
import { z } from "zod";
import { capabilitySchema, identifier, labelsSchema, parseCapability, retryPolicySchema, strategySchema, LIMITS } from "./protocol";

export const WORKFLOW_LIMITS = {
  steps: 500,
  /** Steps of one run after fan-out. */
  plannedSteps: 2_000,
  params: 50,
  fanOut: 100,
  expressionLength: 2_000,
  sourceBytes: 512 * 1024,
} as const;

const capabilityInput = z.union([
  z.string().transform((s, ctx) => {
    try {
      return parseCapability(s);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  }),
  capabilitySchema,
]);

export const paramTypeSchema = z.enum(["string", "number", "boolean", "enum"]);
export type ParamType = z.infer<typeof paramTypeSchema>;

export const paramSchema = z
  .object({
    // Plain identifiers only, so `params.name` reads the same in interpolations and expressions.
    name: z.string().min(1).max(64).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "use letters, digits and _, starting with a letter or _"),
    type: paramTypeSchema.default("string"),
    description: z.string().max(500).optional(),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Allowed values of an enum parameter. */
    values: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    /** String parameters: a regular expression the whole value must match, checked when a run starts. */
    pattern: z.string().min(1).max(500).optional(),
    /** String parameters: the longest value accepted. */
    maxLength: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.type !== "string" && (p.pattern !== undefined || p.maxLength !== undefined))
      ctx.addIssue({ code: "custom", message: `only string parameters take "pattern" and "maxLength"`, path: [p.pattern !== undefined ? "pattern" : "maxLength"] });
    if (p.pattern !== undefined) {
      try {
        const re = new RegExp(`^(?:${p.pattern})$`, "u");
        if (typeof p.default === "string" && !re.test(p.default)) ctx.addIssue({ code: "custom", message: `default of ${p.name} does not match its pattern ${p.pattern}`, path: ["default"] });
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `pattern of ${p.name} is not a valid regular expression: ${(e as Error).message}`, path: ["pattern"] });
      }
    }
    if (p.type === "enum" && !p.values) ctx.addIssue({ code: "custom", message: `enum parameter ${p.name} needs "values"`, path: ["values"] });
    if (p.type !== "enum" && p.values) ctx.addIssue({ code: "custom", message: `only enum parameters take "values"`, path: ["values"] });
    if (p.default !== undefined && !paramValueOk(p, p.default))
      ctx.addIssue({ code: "custom", message: `default of ${p.name} must be a ${p.type}${p.values ? ` (one of ${p.values.join(", ")})` : ""}`, path: ["default"] });
  });
export type ParamDef = z.infer<typeof paramSchema>;

export function paramValueOk(p: Pick<ParamDef, "type" | "values">, v: unknown): boolean {
  switch (p.type) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "enum":
      return typeof v === "string" && (p.values ?? []).includes(v);
  }
}

const stepId = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, "use lower-case letters, digits and _, starting with a letter (e.g. build, run_tests)");

const stepBase = {
  id: stepId,
  title: z.string().min(1).max(LIMITS.titleLength).optional(),
  dependsOn: z.array(stepId).max(100).default([]),
};

const taskFields = {
  command: z.string().min(1).max(LIMITS.commandLength).optional(),
  payload: z.unknown().optional(),
  requires: z.array(capabilityInput).max(LIMITS.capabilities).default([]),
  labels: labelsSchema.default({}),
  priority: z.number().int().min(-1000).max(1000).default(0),
  strategy: strategySchema.optional(),
  timeoutMs: z.number().int().min(100).max(7 * 24 * 3_600_000).optional(),
  retry: retryPolicySchema.default({ maxAttempts: 1, backoffMs: 1000 }),
};

/**
 * A step that runs as a task. `parallel` fans it out into N copies (`impl_1` … `impl_N`);
 * a step that depends on it waits for all of them (fan-in). N may come from a parameter.
 */
export const taskStepSchema = z
  .object({
    ...stepBase,
    type: z.literal("task").default("task"),
    parallel: z.union([z.number().int().min(1).max(WORKFLOW_LIMITS.fanOut), z.string().regex(/^\{\{\s*params\.[A-Za-z0-9._:-]+\s*\}\}$/, 'use a number or "{{params.<name>}}"')]).optional(),
    ...taskFields,
  })
  .strict();

/**
 * An automated gate: passes when `expression` is true over upstream results, or when its
 * check `command` (dispatched like a task, e.g. to an agent with `qa`) exits 0.
 */
export const checkStepSchema = z
  .object({
    ...stepBase,
    type: z.literal("check"),
    expression: z.string().min(1).max(WORKFLOW_LIMITS.expressionLength).optional(),
    ...taskFields,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!!s.expression === !!s.command) ctx.addIssue({ code: "custom", message: `check step ${s.id} needs exactly one of "expression" or "command"` });
  });

/** An approval gate: the run waits for an operator; optionally decides itself after a timeout. */
export const approvalStepSchema = z
  .object({
    ...stepBase,
    type: z.literal("approval"),
    description: z.string().max(2000).optional(),
    timeoutMs: z.number().int().min(1000).max(30 * 24 * 3_600_000).optional(),
    onTimeout: z.enum(["fail", "approve"]).default("fail"),
  })
  .strict();

export const stepSchema = z.discriminatedUnion("type", [taskStepSchema, checkStepSchema, approvalStepSchema]);
// Steps without `type` are tasks: fill it in before the discriminated union looks.
const stepInput = z.preprocess((v) => (v && typeof v === "object" && !("type" in v) ? { ...v, type: "task" } : v), stepSchema);
export type StepDef = z.infer<typeof stepSchema>;
export type TaskStepDef = z.infer<typeof taskStepSchema>;
export type CheckStepDef = z.infer<typeof checkStepSchema>;
export type ApprovalStepDef = z.infer<typeof approvalStepSchema>;

export { failurePolicySchema, type FailurePolicy } from "./api/enums";
import { failurePolicySchema, type FailurePolicy } from "./api/enums";

export const templateSchema = z
  .object({
    // "new" is the dashboard's page for writing a template, so no template may take the name.
    name: identifier.refine((n) => n !== "new", '"new" is reserved; pick another name'),
    description: z.string().max(2000).default(""),
    params: z.array(paramSchema).max(WORKFLOW_LIMITS.params).default([]),
    failurePolicy: failurePolicySchema.default("fail-fast"),
    /** At most this many steps of one run are dispatched at once. */
    concurrency: z.number().int().min(1).max(1000).default(10),
    steps: z.array(stepInput).min(1).max(WORKFLOW_LIMITS.steps),
  })
  .strict();
export type TemplateInput = z.input<typeof templateSchema>;
export type Template = z.infer<typeof templateSchema>;


