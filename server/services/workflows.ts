// Workflow templates, runs and approval gates, as people use them.
import type { PendingApproval, RunStatus, RunSummary, RunView, TemplateDetail, TemplateSummary, TemplateVersionView, ValidationIssue } from "@/lib/api";
import type { Template } from "@/lib/workflow";
import { principalName } from "@/server/auth/principal";
import type { SourceFormat } from "@/server/workflows/workflow-service";
import type { Caller, ServiceContext } from "./context";

export const findTemplates = (s: ServiceContext, caller: Caller): Promise<TemplateSummary[]> => s.read(caller, "templates.find", () => s.deps.workflows.findTemplates());

export const getTemplate = (s: ServiceContext, caller: Caller, q: { name: string; version?: number }): Promise<TemplateDetail> =>
  s.read(caller, "templates.get", () => s.deps.workflows.getTemplate(q.name, q.version));

/** Live validation for the editor: never throws for a bad template, it lists the issues. */
export const validateTemplate = (
  s: ServiceContext,
  caller: Caller,
  q: { source: string; format: SourceFormat },
): Promise<{ ok: false; issues: ValidationIssue[] } | { ok: true; definition: Template; graph: ReturnType<ServiceContext["deps"]["workflows"]["previewGraph"]> }> =>
  s.read(caller, "templates.validate", () => {
    const r = s.deps.workflows.validate(q.source, q.format);
    if (!r.ok) return { ok: false as const, issues: r.issues };
    return { ok: true as const, definition: r.template, graph: s.deps.workflows.previewGraph(r.template) };
  });

/** Creates or updates a template (a new version when its definition changed). */
export const saveTemplate = (s: ServiceContext, caller: Caller, q: { source: string; format: SourceFormat }): Promise<{ version: TemplateVersionView; created: boolean }> =>
  s.mutate(caller, "templates.save", (p) => s.deps.workflows.apply(q.source, q.format, principalName(p)), { input: { format: q.format, bytes: q.source.length }, target: null });

export const startRun = (s: ServiceContext, caller: Caller, q: { template: string; params: Record<string, unknown>; version?: number }): Promise<RunView> =>
  s.mutate(caller, "runs.start", (p) => s.deps.workflows.startRun(q.template, q.params, principalName(p), q.version), { input: q, target: q.template });

export const findRuns = (
  s: ServiceContext,
  caller: Caller,
  q: { status?: RunStatus; template?: string; search?: string; limit: number; cursor?: string | null },
): Promise<{ items: RunSummary[]; nextCursor: string | null }> =>
  s.read(caller, "runs.find", () => s.deps.workflows.findRuns({ ...q, search: q.search || undefined, template: q.template || undefined, cursor: q.cursor ?? undefined }));

export const getRun = (s: ServiceContext, caller: Caller, id: string): Promise<RunView> => s.read(caller, "runs.get", () => s.deps.workflows.getRun(id));

export const cancelRun = (s: ServiceContext, caller: Caller, id: string): Promise<RunView> =>
  s.mutate(caller, "runs.cancel", (p) => s.deps.workflows.cancelRun(id, principalName(p)), { target: id });

export const rerun = (s: ServiceContext, caller: Caller, q: { id: string; fromStep: string }): Promise<RunView> =>
  s.mutate(caller, "runs.rerun", (p) => s.deps.workflows.rerun(q.id, q.fromStep, principalName(p)), { input: q });

export const pendingApprovals = (s: ServiceContext, caller: Caller): Promise<PendingApproval[]> => s.read(caller, "approvals.find", () => s.deps.workflows.pendingApprovals());

export const decide = (s: ServiceContext, caller: Caller, q: { runId: string; stepId: string; decision: "approve" | "reject"; comment?: string }): Promise<RunView> =>
  s.mutate(caller, "approvals.decide", (p) => s.deps.workflows.decide(q.runId, q.stepId, q.decision, principalName(p), q.comment), { input: q, action: `approvals.${q.decision}` });
