// CSV exports of a period: the tasks created in it, the workflow runs started in it, and every
// alert transition in it — read a page at a time from the store, capped so that one export
// cannot hold the server for long (the cap is said in the last row when it is reached).
import type { CsvSheet } from "@/server/insight/csv-tables";
import type { AlertRepository, AlertRuleRow, TaskRepository, WorkflowRepository } from "@/server/store/ports";

export const EXPORT_MAX_ROWS = 100_000;
const PAGE = 1_000;
const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

export interface ExportSources {
  tasks: Pick<TaskRepository, "find">;
  workflows: Pick<WorkflowRepository, "findRuns">;
  alerts: Pick<AlertRepository, "history">;
  rules: () => readonly Pick<AlertRuleRow, "id" | "name">[];
}

type Period = { from: number; to: number };

const capped = (sheet: CsvSheet, more: boolean): CsvSheet => (more ? { ...sheet, rows: [...sheet.rows, [`(stopped at ${EXPORT_MAX_ROWS} rows; export a shorter period for the rest)`]] } : sheet);

export async function tasksSheet(src: ExportSources, p: Period): Promise<CsvSheet> {
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await src.tasks.find({ limit: PAGE, cursor, createdFrom: p.from, createdTo: p.to });
    for (const t of page.items) {
      rows.push([t.id, t.title, t.status, t.requirements.map((c) => c.name).join(" "), t.agentId, t.attempt, t.failures, t.runId, t.stepId, t.template, iso(t.createdAt), iso(t.startedAt), iso(t.finishedAt), t.startedAt != null ? t.startedAt - t.createdAt : null, t.startedAt != null && t.finishedAt != null ? t.finishedAt - t.startedAt : null, t.error]);
    }
    cursor = page.nextCursor ?? undefined;
    more = rows.length >= EXPORT_MAX_ROWS && !!cursor;
  } while (cursor && rows.length < EXPORT_MAX_ROWS);
  const header = ["id", "title", "status", "capabilities", "agentId", "attempt", "failures", "runId", "stepId", "template", "createdAt", "startedAt", "finishedAt", "sinceCreatedToStartMs", "runMs", "error"];
  return capped({ name: "tasks", header, rows }, more);
}

export async function runsSheet(src: ExportSources, p: Period): Promise<CsvSheet> {
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await src.workflows.findRuns({ limit: PAGE, cursor, createdFrom: p.from, createdTo: p.to });
    for (const { run, statuses } of page.items) {
      rows.push([run.id, run.templateName, run.templateVersion, run.status, run.triggeredBy, iso(run.createdAt), iso(run.finishedAt), run.finishedAt != null ? run.finishedAt - run.createdAt : null, statuses.length, statuses.filter((s) => s === "succeeded").length, run.error]);
    }
    cursor = page.nextCursor ?? undefined;
    more = rows.length >= EXPORT_MAX_ROWS && !!cursor;
  } while (cursor && rows.length < EXPORT_MAX_ROWS);
  return capped({ name: "runs", header: ["id", "template", "version", "status", "triggeredBy", "createdAt", "finishedAt", "durationMs", "steps", "stepsSucceeded", "error"], rows }, more);
}

export async function alertsSheet(src: ExportSources, p: Period): Promise<CsvSheet> {
  const names = new Map(src.rules().map((r) => [r.id, r.name]));
  const rows: unknown[][] = [];
  let before: number | undefined;
  let more = false;
  for (;;) {
    const page = await src.alerts.history({ limit: PAGE, before, since: p.from, until: p.to });
    for (const t of page) rows.push([iso(t.at), names.get(t.ruleId) ?? t.labels.alertname ?? t.ruleId, t.fingerprint, t.from, t.to, t.labels.severity ?? null, Object.entries(t.labels).map(([k, v]) => `${k}=${v}`).join(" "), t.value, t.summary]);
    if (page.length < PAGE) break;
    before = page[page.length - 1].id;
    if (rows.length >= EXPORT_MAX_ROWS) {
      more = true;
      break;
    }
  }
  return capped({ name: "alerts", header: ["at", "rule", "fingerprint", "from", "to", "severity", "labels", "value", "summary"], rows }, more);
}
