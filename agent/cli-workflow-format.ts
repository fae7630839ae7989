// The pure parts of the workflow commands: flag parsing, validation issues, run and step
// tables, and the status changes `workflow run --wait` prints. No I/O here.

import type { GateDecisionView, RunStatus, RunSummary, RunView, StepStatus, StepView, TemplateSummary, TemplateVersionView, ValidationIssue } from "../lib/api";
import { UsageError } from "./cli-flags";
import { ago, table } from "./cli-output";

export const RUN_STATUSES: readonly RunStatus[] = ["running", "succeeded", "failed", "canceled"];

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Multi-line errors and comments (a command's exit code, then its stderr) on one line. */
export const oneLine = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" · ");

// ---- flags ----

/** `--param k=v` (repeatable) into the body's params; values stay strings, the server coerces them. */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const key = eq < 0 ? "" : flag.slice(0, eq).trim();
    if (!key || /\s/.test(key)) throw new UsageError(`invalid --param "${flag}": expected name=value`);
    if (Object.hasOwn(params, key) && params[key] !== flag.slice(eq + 1)) throw new UsageError(`--param ${key} is given twice with different values`);
    params[key] = flag.slice(eq + 1);
  }
  return params;
}

/** The `format` the server parses a file with, from its name; `-` (stdin) is YAML. */
export function formatOf(file: string): "yaml" | "json" {
  if (file === "-" || /\.ya?ml$/i.test(file)) return "yaml";
  if (/\.json$/i.test(file)) return "json";
  throw new UsageError(`cannot tell the format of "${file}": name it .yaml, .yml or .json`);
}

// ---- validation issues ----

export function issueLine(issue: ValidationIssue): string {
  const where = [issue.step === null ? null : `step ${issue.step}`, issue.path || null].filter((p) => p !== null);
  return `  ${[...where, issue.message].join(": ")}`;
}

/**
 * The line above the issue list. The server's message repeats the first issues after its
 * prefix ("Invalid workflow template: step a: …; …."); the list follows, so keep the prefix.
 */
export function issuesHeadline(message: string, count: number): string {
  const prefix = message.split(": ", 1)[0].replace(/\.$/, "");
  return `${prefix} (${count} ${count === 1 ? "problem" : "problems"}):`;
}

// ---- durations and times ----

export function duration(ms: number): string {
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) return `${v}ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)}s`;
  const s = Math.round(v / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** How long a step ran, or has been running; "-" before it starts. */
export function stepDuration(step: Pick<StepView, "startedAt" | "finishedAt">, now = Date.now()): string {
  if (step.startedAt == null) return "-";
  return duration((step.finishedAt ?? now) - step.startedAt);
}

/** Local wall-clock time, HH:MM:SS. */
export function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

// ---- templates ----

export function templateTable(templates: TemplateSummary[], now = Date.now()): string {
  if (templates.length === 0) return "no workflows";
  return table(
    ["NAME", "VERSION", "PARAMS", "UPDATED", "DESCRIPTION"],
    templates.map((t) => [
      `${t.name}${t.builtin ? " (builtin)" : ""}`,
      `v${t.latestVersion}`,
      t.params.map((p) => (p.required ? `${p.name}*` : p.name)).join(",") || "-",
      ago(t.updatedAt, now),
      clip(t.description, 60),
    ]),
  );
}

export function templateDetail(
  detail: { template: TemplateSummary; version: TemplateVersionView; versions: Array<{ version: number; createdAt?: number; createdBy?: string }> },
  now = Date.now(),
): string {
  const { template, version } = detail;
  const def = version.definition;
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${`${name}:`.padEnd(13)} ${value}`);
  field("workflow", `${template.name}${template.builtin ? " (builtin)" : ""}`);
  if (template.description) field("description", template.description);
  field("version", `v${version.version} of ${template.latestVersion}, created ${ago(version.createdAt, now)} by ${version.createdBy}`);
  field("on failure", def.failurePolicy);
  field("concurrency", String(def.concurrency));
  if (def.params.length > 0) {
    out.push("", "params:");
    const rows = def.params.map((p) => [
      p.name,
      p.type === "enum" ? `enum(${(p.values ?? []).join("|")})` : p.type,
      p.required ? "yes" : "no",
      p.default === undefined ? "-" : String(p.default),
      clip(p.description ?? "", 60),
    ]);
    out.push(indent(table(["NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"], rows)));
  }
  out.push("", "steps:");
  const rows = def.steps.map((s) => {
    const runs =
      s.type === "approval"
        ? s.timeoutMs
          ? `${s.onTimeout} after ${duration(s.timeoutMs)}`
          : "-"
        : s.type === "check" && s.expression
          ? clip(s.expression, 50)
          : [s.requires.map((c) => `${c.name}:${c.level}`).join(","), s.type === "task" && s.parallel !== undefined ? `×${String(s.parallel).replace(/^\{\{\s*|\s*\}\}$/g, "")}` : ""].filter(Boolean).join(" ") ||
            "-";
    return [s.id, s.type, s.dependsOn.join(",") || "-", runs];
  });
  out.push(indent(table(["ID", "TYPE", "DEPENDS ON", "REQUIRES / GATE"], rows)));
  if (detail.versions.length > 1) {
    out.push("", "versions:");
    for (const v of detail.versions) out.push(`  v${v.version}${v.createdAt != null ? `  ${ago(v.createdAt, now)}` : ""}${v.createdBy ? ` by ${v.createdBy}` : ""}`);
  }
  return out.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

// ---- runs ----

const RUN_STEP_STATUSES: readonly StepStatus[] = ["pending", "queued", "running", "waiting_approval", "succeeded", "failed", "skipped", "canceled"];

const DONE: ReadonlySet<StepStatus> = new Set(["succeeded", "failed", "skipped", "canceled"]);

function progress(run: Pick<RunSummary, "counts" | "total">, failedSep = " (", failedEnd = ")"): string {
  const done = [...DONE].reduce((n, s) => n + (run.counts[s] ?? 0), 0);
  const failed = run.counts.failed ?? 0;
  return `${done}/${run.total}${failed > 0 ? `${failedSep}${failed} failed${failedEnd}` : ""}`;
}

export function runTable(runs: RunSummary[], now = Date.now()): string {
  if (runs.length === 0) return "no runs";
  return table(
    ["ID", "WORKFLOW", "STATUS", "STEPS DONE", "BY", "CREATED", "TOOK"],
    runs.map((r) => [
      r.id,
      `${r.templateName} v${r.templateVersion}`,
      r.status,
      progress(r),
      r.triggeredBy,
      ago(r.createdAt, now),
      r.finishedAt == null ? "-" : duration(r.finishedAt - r.createdAt),
    ]),
  );
}

export function decisionText(d: GateDecisionView): string {
  return `${d.decision} by ${d.by}${d.comment ? `: ${oneLine(d.comment)}` : ""}`;
}

/** The last column of the step table: why it failed, what a gate decided, or what it waits for. */
export function stepNote(step: StepView, now = Date.now()): string {
  if (step.error) return clip(oneLine(step.error), 80);
  const last = step.decisions.at(-1);
  if (last) return clip(decisionText(last), 80);
  if (step.status === "waiting_approval")
    return step.approvalDeadline == null ? "waits for approval" : `waits for approval (decides itself in ${duration(step.approvalDeadline - now)})`;
  return "-";
}

export function stepTable(steps: StepView[], now = Date.now()): string {
  if (steps.length === 0) return "no steps";
  return table(
    ["STEP", "TYPE", "STATUS", "AGENT", "DURATION", "ERROR / DECISION"],
    steps.map((s) => [s.id, s.type, s.status, s.agentName ?? s.agentId ?? "-", stepDuration(s, now), stepNote(s, now)]),
  );
}

export function runDetail(run: RunView, now = Date.now()): string {
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${`${name}:`.padEnd(10)} ${value}`);
  const counts = { total: run.steps.length, counts: Object.fromEntries(RUN_STEP_STATUSES.map((s) => [s, run.steps.filter((x) => x.status === s).length])) as Record<StepStatus, number> };
  field("run", run.id);
  field("workflow", `${run.templateName} v${run.templateVersion}`);
  field("status", `${run.status} (steps done: ${progress(counts, ", ", "")})`);
  const params = Object.entries(run.params).map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
  if (params.length > 0) field("params", params.join(" "));
  field("started", `${ago(run.createdAt, now)} by ${run.triggeredBy}`);
  field("took", duration((run.finishedAt ?? now) - run.createdAt) + (run.finishedAt == null ? " so far" : ""));
  if (run.error) field("error", run.error.split("\n").join("\n           "));
  out.push("", stepTable(run.steps, now));
  return out.join("\n");
}

export function approvalsTable(approvals: Array<{ run: RunSummary; step: StepView }>, now = Date.now()): string {
  if (approvals.length === 0) return "no approvals wait";
  return table(
    ["RUN", "WORKFLOW", "STEP", "WAITING", "DECIDES ITSELF", "TITLE"],
    approvals.map(({ run, step }) => [
      run.id,
      `${run.templateName} v${run.templateVersion}`,
      step.id,
      step.startedAt == null ? "-" : duration(now - step.startedAt),
      step.approvalDeadline == null ? "never" : `in ${duration(step.approvalDeadline - now)}`,
      clip(step.title, 50),
    ]),
  );
}

// ---- following a run ----

export interface StepChange {
  step: StepView;
  /** The status to report; usually the step's, or "running" for a start that happened between two polls. */
  status: StepStatus;
  at: number;
}

/**
 * The status changes since the previous poll, in the run's step order. A step not seen before
 * counts as pending (fan-out copies appear when their count is known). A task that started
 * and finished between two polls also gets its "running" line, so the agent is named.
 */
export function diffSteps(previous: ReadonlyMap<string, StepStatus>, steps: readonly StepView[], now = Date.now()): StepChange[] {
  const changes: StepChange[] = [];
  for (const step of steps) {
    const before = previous.get(step.id) ?? "pending";
    if (before === step.status) continue;
    const startedUnseen = before === "pending" || before === "queued";
    if (startedUnseen && (step.status === "succeeded" || step.status === "failed") && step.taskId != null && step.startedAt != null)
      changes.push({ step, status: "running", at: step.startedAt });
    const at = step.status === "running" ? step.startedAt : DONE.has(step.status) ? step.finishedAt : null;
    changes.push({ step, status: step.status, at: at ?? now });
  }
  return changes;
}

export function statusMap(steps: readonly StepView[]): Map<string, StepStatus> {
  return new Map(steps.map((s) => [s.id, s.status]));
}

/** One line of `workflow run --wait`, e.g. `12:01:03 implement_2 running (agent builder-1)`. */
export function changeLine(runId: string, change: StepChange): string {
  const { step, status } = change;
  const head = `${clock(change.at)} ${step.id}`;
  if (status === "waiting_approval") return `${head} waits for approval: switchboard run approve ${runId} ${step.id}`;
  let detail = "";
  const agent = step.agentName ?? step.agentId;
  if (status === "running" && agent) detail = ` (agent ${agent})`;
  else if (status === "succeeded" || status === "failed") {
    // A gate's decision says why; a task's error is the rest of the story.
    const last = step.decisions.at(-1);
    if (last) detail = ` (${clip(decisionText(last), 160)})`;
    else if (status === "failed" && step.error) detail = `: ${clip(oneLine(step.error), 160)}`;
  }
  return `${head} ${status}${detail}`;
}
