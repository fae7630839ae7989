// Durable storage of templates, runs and steps. Runs change a few times per step, not per
// log line, so plain Prisma calls in one transaction per change are enough here.
import type { PrismaModels as Db } from "./client";
import type { RunRecord, StepRecord, WorkflowRepository } from "../ports";
import { withBusyRetry } from "../busy";
import type { Prisma } from "@/generated/prisma/client";
import type { FailurePolicy, ParamDef, StepDef, Template } from "@/lib/workflow";
import type { GateDecisionView, ParamValues, RunStatus, StepStatus, TemplateSummary, TemplateVersionView } from "@/lib/api";
import { newId } from "@/server/ids";
import { date, ms, parse } from "../row-values";

function runFromRow(r: Prisma.WorkflowRunGetPayload<object>): RunRecord {
  return {
    id: r.id,
    templateName: r.templateName,
    templateVersion: r.templateVersion,
    status: r.status as RunStatus,
    params: parse<ParamValues>(r.params, {}),
    failurePolicy: r.failurePolicy as FailurePolicy,
    concurrency: r.concurrency,
    triggeredBy: r.triggeredBy,
    error: r.error,
    createdAt: r.createdAt.getTime(),
    finishedAt: ms(r.finishedAt),
  };
}

function stepFromRow(r: Prisma.WorkflowStepGetPayload<object>): StepRecord {
  return {
    runId: r.runId,
    id: r.stepId,
    templateStepId: r.templateStepId,
    position: r.position,
    type: r.type as StepDef["type"],
    title: r.title,
    status: r.status as StepStatus,
    dependsOn: parse<string[]>(r.dependsOn, []),
    def: parse<StepDef>(r.def, { id: r.templateStepId, type: "approval", dependsOn: [], onTimeout: "fail" }),
    fanIndex: r.fanIndex,
    taskId: r.taskId,
    agentId: r.agentId,
    attempt: r.attempt,
    result: parse(r.result, null),
    error: r.error,
    decisions: parse<GateDecisionView[]>(r.decisions, []),
    approvalDeadline: ms(r.approvalDeadline),
    startedAt: ms(r.startedAt),
    finishedAt: ms(r.finishedAt),
  };
}

function stepData(s: StepRecord) {
  return {
    runId: s.runId,
    stepId: s.id,
    templateStepId: s.templateStepId,
    position: s.position,
    type: s.type,
    title: s.title,
    status: s.status,
    dependsOn: JSON.stringify(s.dependsOn),
    def: JSON.stringify(s.def),
    fanIndex: s.fanIndex,
    taskId: s.taskId,
    agentId: s.agentId,
    attempt: s.attempt,
    result: s.result == null ? null : JSON.stringify(s.result),
    error: s.error,
    decisions: JSON.stringify(s.decisions),
    approvalDeadline: date(s.approvalDeadline),
    startedAt: date(s.startedAt),
    finishedAt: date(s.finishedAt),
  };
}

function runData(r: RunRecord) {
  return {
    templateName: r.templateName,
    templateVersion: r.templateVersion,
    status: r.status,
    params: JSON.stringify(r.params),
    failurePolicy: r.failurePolicy,
    concurrency: r.concurrency,
    triggeredBy: r.triggeredBy,
    error: r.error,
    createdAt: new Date(r.createdAt),
    finishedAt: date(r.finishedAt),
    updatedAt: new Date(),
  };
}

export class PrismaWorkflows implements WorkflowRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new version when the definition differs from the latest; returns the version in force. */
  async saveTemplate(input: { template: Template; source: string; format: "yaml" | "json"; createdBy: string; builtin?: boolean }): Promise<TemplateVersionView> {
    const definition = JSON.stringify(input.template);
    return withBusyRetry("template save", () => this.db.$transaction(async (tx) => {
      const existing = await tx.workflowTemplate.findUnique({ where: { name: input.template.name } });
      if (existing) {
        const latest = await tx.workflowTemplateVersion.findUnique({ where: { templateId_version: { templateId: existing.id, version: existing.latestVersion } } });
        if (latest && latest.definition === definition) return this.versionView(input.template.name, latest);
      }
      const version = (existing?.latestVersion ?? 0) + 1;
      const templateId = existing?.id ?? newId("tpl");
      const data = {
        description: input.template.description,
        latestVersion: version,
        params: JSON.stringify(input.template.params),
        updatedAt: new Date(),
        ...(input.builtin !== undefined ? { builtin: input.builtin } : {}),
      };
      if (existing) await tx.workflowTemplate.update({ where: { id: templateId }, data });
      else await tx.workflowTemplate.create({ data: { id: templateId, name: input.template.name, ...data } });
      const row = await tx.workflowTemplateVersion.create({
        data: { id: newId("tv"), templateId, version, source: input.source, format: input.format, definition, createdBy: input.createdBy },
      });
      return this.versionView(input.template.name, row);
    }));
  }

  private versionView(name: string, r: Prisma.WorkflowTemplateVersionGetPayload<object>): TemplateVersionView {
    return { name, version: r.version, source: r.source, definition: JSON.parse(r.definition) as Template, createdAt: r.createdAt.getTime(), createdBy: r.createdBy };
  }

  async findTemplates(): Promise<TemplateSummary[]> {
    const rows = await this.db.workflowTemplate.findMany({ orderBy: { name: "asc" } });
    return rows.map((r) => ({
      name: r.name,
      description: r.description,
      latestVersion: r.latestVersion,
      builtin: r.builtin,
      params: parse<ParamDef[]>(r.params, []),
      updatedAt: r.updatedAt.getTime(),
    }));
  }

  async getTemplate(name: string, version?: number) {
    const t = await this.db.workflowTemplate.findUnique({ where: { name } });
    if (!t) return null;
    const [v, versions] = await Promise.all([
      this.db.workflowTemplateVersion.findUnique({ where: { templateId_version: { templateId: t.id, version: version ?? t.latestVersion } } }),
      this.db.workflowTemplateVersion.findMany({ where: { templateId: t.id }, orderBy: { version: "desc" }, select: { version: true, createdAt: true, createdBy: true } }),
    ]);
    if (!v) return null;
    return {
      template: { name: t.name, description: t.description, latestVersion: t.latestVersion, builtin: t.builtin, params: parse<ParamDef[]>(t.params, []), updatedAt: t.updatedAt.getTime() },
      version: this.versionView(t.name, v),
      versions: versions.map((x) => ({ version: x.version, createdAt: x.createdAt.getTime(), createdBy: x.createdBy })),
    };
  }

  async createRun(run: RunRecord, steps: StepRecord[]) {
    await withBusyRetry("run create", () => this.db.$transaction([
      this.db.workflowRun.create({ data: { id: run.id, ...runData(run) } }),
      this.db.workflowStep.createMany({ data: steps.map((s) => ({ id: `${run.id}:${s.id}`, ...stepData(s) })) }),
    ]));
  }

  async saveRun(run: RunRecord, steps: StepRecord[]) {
    await withBusyRetry("run save", () =>
      this.db.$transaction([
        this.db.workflowRun.update({ where: { id: run.id }, data: runData(run) }),
        ...steps.map((s) => this.db.workflowStep.update({ where: { id: `${run.id}:${s.id}` }, data: stepData(s) })),
      ]),
    );
  }

  async getRun(id: string): Promise<{ run: RunRecord; steps: StepRecord[] } | null> {
    const r = await this.db.workflowRun.findUnique({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });
    return r ? { run: runFromRow(r), steps: r.steps.map(stepFromRow) } : null;
  }

  async activeRuns(): Promise<{ run: RunRecord; steps: StepRecord[] }[]> {
    const rows = await this.db.workflowRun.findMany({ where: { status: "running" }, include: { steps: { orderBy: { position: "asc" } } } });
    return rows.map((r) => ({ run: runFromRow(r), steps: r.steps.map(stepFromRow) }));
  }

  async findRuns(q: { status?: RunStatus; template?: string; search?: string; createdFrom?: number; createdTo?: number; limit: number; cursor?: string }) {
    const where: Prisma.WorkflowRunWhereInput = {};
    if (q.status) where.status = q.status;
    if (q.template) where.templateName = q.template;
    if (q.search) where.OR = [{ id: { startsWith: q.search } }, { templateName: { contains: q.search } }, { triggeredBy: { contains: q.search } }];
    if (q.createdFrom != null || q.createdTo != null) where.createdAt = { ...(q.createdFrom != null ? { gte: new Date(q.createdFrom) } : {}), ...(q.createdTo != null ? { lt: new Date(q.createdTo) } : {}) };
    const rows = await this.db.workflowRun.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit + 1,
      ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
      include: { steps: { select: { status: true } } },
    });
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map((r) => ({ run: runFromRow(r), statuses: r.steps.map((s) => s.status as StepStatus) }));
    return { items, nextCursor: more ? items[items.length - 1].run.id : null };
  }
}
