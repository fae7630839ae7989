// `switchboard workflow …`, `switchboard run …` and `switchboard approvals`: apply workflow
// templates, start and follow runs, decide approval gates. Rendering is in cli-workflow-format.ts.

import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { WORKFLOW_LIMITS } from "../lib/workflow";
import { type RunStatus, type RunView, type StepStatus } from "../lib/api";
import { action, clientFrom, note, out, POLL_MS, printJson, withConnection, type ConnectionFlags } from "./cli-common";
import { collect, parseIntFlag, UsageError } from "./cli-flags";
import {
  approvalsTable,
  changeLine,
  diffSteps,
  duration,
  formatOf,
  issueLine,
  issuesHeadline,
  oneLine,
  parseParamFlags,
  RUN_STATUSES,
  runDetail,
  runTable,
  statusMap,
  templateDetail,
  templateTable,
} from "./cli-workflow-format";
import { ApiError, type HttpClient } from "./http-client";

interface JsonFlag extends ConnectionFlags {
  json?: boolean;
}

// ---- workflow ----

interface ApplyFlags extends JsonFlag {
  file: string[];
}

function readSource(file: string): string {
  let source: string;
  try {
    source = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file === "-" ? "stdin" : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const bytes = Buffer.byteLength(source);
  if (bytes > WORKFLOW_LIMITS.sourceBytes) throw new UsageError(`${file} is ${bytes} bytes; a workflow may have at most ${WORKFLOW_LIMITS.sourceBytes}`);
  return source;
}

/** Applies each file in order; an invalid one is reported with its issues and the rest still go. */
async function applyCommand(flags: ApplyFlags): Promise<number> {
  if (flags.file.length === 0) throw new UsageError("workflow apply needs at least one -f <file> (- reads YAML from stdin)");
  if (flags.file.filter((f) => f === "-").length > 1) throw new UsageError("stdin (-f -) can be read only once");
  // Read every file first, so a typo in the last name does not leave the first ones applied.
  const inputs = flags.file.map((file) => ({ file, format: formatOf(file), source: readSource(file) }));
  const client = clientFrom(flags);
  const applied: unknown[] = [];
  let failed = false;
  for (const { file, format, source } of inputs) {
    try {
      const result = await client.workflowApply({ source, format });
      applied.push(result);
      if (!flags.json) out(`${result.version.name} v${result.version.version} (${result.created ? "new version" : "unchanged"})`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "BAD_REQUEST") throw error;
      failed = true;
      const where = file === "-" ? "stdin" : file;
      if (error.issues.length === 0) note(`switchboard: ${where}: ${error.message}`);
      else note(`switchboard: ${where}: ${issuesHeadline(error.message, error.issues.length)}`);
      error.issues.forEach((issue) => note(issueLine(issue)));
    }
  }
  if (flags.json) printJson(applied);
  return failed ? 1 : 0;
}

async function workflowListCommand(flags: JsonFlag): Promise<number> {
  const templates = await clientFrom(flags).workflowList();
  if (flags.json) printJson(templates);
  else out(templateTable(templates));
  return 0;
}

interface ShowFlags extends JsonFlag {
  version?: string;
  source?: boolean;
}

async function workflowShowCommand(name: string, flags: ShowFlags): Promise<number> {
  const version = flags.version === undefined ? undefined : parseIntFlag(flags.version, "--version", { min: 1 });
  const detail = await clientFrom(flags).workflowGet(name, version);
  if (version !== undefined && detail.version.version !== version) throw new ApiError("NOT_FOUND", `workflow ${name} has no version ${version}.`);
  if (flags.source) process.stdout.write(detail.version.source.endsWith("\n") ? detail.version.source : `${detail.version.source}\n`);
  else if (flags.json) printJson(detail);
  else out(templateDetail(detail));
  return 0;
}

interface RunFlags extends JsonFlag {
  param: string[];
  version?: string;
  wait?: boolean;
}

async function workflowRunCommand(name: string, flags: RunFlags): Promise<number> {
  const params = parseParamFlags(flags.param);
  const version = flags.version === undefined ? undefined : parseIntFlag(flags.version, "--version", { min: 1 });
  const client = clientFrom(flags);
  const run = await client.workflowRun(name, version === undefined ? { params } : { params, version });
  if (!flags.wait) {
    if (flags.json) printJson(run);
    else out(`started run ${run.id} (${run.templateName} v${run.templateVersion})`);
    return 0;
  }
  if (!flags.json) note(`started run ${run.id} (${run.templateName} v${run.templateVersion}); following until it ends (Ctrl-C stops following, not the run)`);
  return followRun(client, run, flags.json ?? false);
}

/** Polls the run until it ends, printing each step's status change; exit code 0 only for success. */
async function followRun(client: HttpClient, first: RunView, json: boolean, seenBefore = new Map<string, StepStatus>()): Promise<number> {
  let run = first;
  let seen = seenBefore;
  for (;;) {
    if (!json) diffSteps(seen, run.steps).forEach((change) => out(changeLine(run.id, change)));
    seen = statusMap(run.steps);
    if (run.status !== "running") break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    run = await client.runGet(run.id);
  }
  if (json) printJson(run);
  else if (run.status === "succeeded") note(`run ${run.id} succeeded in ${duration((run.finishedAt ?? Date.now()) - run.createdAt)}`);
  else note(`run ${run.id} ${run.status}${run.error ? `: ${oneLine(run.error)}` : ""}`);
  return run.status === "succeeded" ? 0 : 1;
}

// ---- run ----

interface RunListFlags extends JsonFlag {
  status?: string;
  template?: string;
  limit?: string;
}

async function runListCommand(flags: RunListFlags): Promise<number> {
  if (flags.status !== undefined && !RUN_STATUSES.includes(flags.status as RunStatus))
    throw new UsageError(`invalid --status "${flags.status}": expected one of ${RUN_STATUSES.join(", ")}`);
  const limit = flags.limit === undefined ? undefined : parseIntFlag(flags.limit, "--limit", { min: 1 });
  const runs = await clientFrom(flags).runList({ status: flags.status as RunStatus | undefined, template: flags.template, limit });
  if (flags.json) printJson(runs);
  else out(runTable(runs));
  return 0;
}

async function runGetCommand(runId: string, flags: JsonFlag): Promise<number> {
  const run = await clientFrom(flags).runGet(runId);
  if (flags.json) printJson(run);
  else out(runDetail(run));
  return 0;
}

async function runCancelCommand(runId: string, flags: JsonFlag): Promise<number> {
  const run = await clientFrom(flags).runCancel(runId);
  if (flags.json) printJson(run);
  // Running steps stop asynchronously, so the answer may still say "running".
  else out(run.status === "running" ? `${run.id}: canceling (its running steps are being stopped)` : `${run.id}: ${run.status}`);
  return 0;
}

async function runRerunCommand(runId: string, flags: JsonFlag & { from: string; wait?: boolean }): Promise<number> {
  const client = clientFrom(flags);
  const run = await client.runRerun(runId, flags.from);
  if (flags.wait) {
    if (!flags.json) note(`run ${run.id} runs again from ${flags.from}; following until it ends (Ctrl-C stops following, not the run)`);
    // Steps kept from before the rerun are not news.
    return followRun(client, run, flags.json ?? false, statusMap(run.steps.filter((s) => s.status !== "pending")));
  }
  if (flags.json) printJson(run);
  else if (run.id !== runId) out(`started run ${run.id} (rerun of ${runId} from ${flags.from})`);
  else out(`${run.id}: ${run.status} again from ${flags.from}`);
  return 0;
}

function decideCommand(decision: "approve" | "reject") {
  return async (runId: string, stepId: string, flags: JsonFlag & { comment?: string }): Promise<number> => {
    const run = await clientFrom(flags).runDecide(runId, stepId, decision, flags.comment);
    if (flags.json) printJson(run);
    else out(`${decision === "approve" ? "approved" : "rejected"} ${stepId} of run ${run.id}; the run is ${run.status}`);
    return 0;
  };
}

async function approvalsCommand(flags: JsonFlag): Promise<number> {
  const approvals = await clientFrom(flags).approvals();
  if (flags.json) printJson(approvals);
  else out(approvalsTable(approvals));
  return 0;
}

// ---- wiring ----

export function registerWorkflowCommands(program: Command): void {
  const workflow = program.command("workflow").description("define workflow templates and start runs");
  withConnection(
    workflow
      .command("apply")
      .description("create or update workflow templates from YAML or JSON files (admin); an unchanged file keeps its version")
      .option("-f, --file <file>", "a .yaml, .yml or .json file, repeatable; - reads YAML from stdin", collect, [])
      .option("--json", "print JSON"),
  ).action(action(applyCommand));
  withConnection(workflow.command("list").description("list workflow templates").option("--json", "print JSON")).action(action(workflowListCommand));
  withConnection(
    workflow
      .command("show")
      .description("show a workflow template: params, steps, versions")
      .argument("<name>")
      .option("--version <n>", "this version instead of the latest")
      .option("--source", "print the source as it was applied")
      .option("--json", "print JSON"),
  ).action(action(workflowShowCommand));
  withConnection(
    workflow
      .command("run")
      .description("start a run of a workflow")
      .argument("<name>")
      .option("--param <name=value>", "a parameter, repeatable (the server converts numbers and booleans)", collect, [])
      .option("--version <n>", "run this version instead of the latest")
      .option("--wait", "follow the run, printing each step's status change; exit 0 only if it succeeded")
      .option("--json", "print JSON"),
  ).action(action(workflowRunCommand));

  const run = program.command("run").description("inspect and steer workflow runs");
  withConnection(
    run
      .command("list")
      .description("list runs, newest first")
      .option("--status <status>", `only this status: ${RUN_STATUSES.join(", ")}`)
      .option("--template <name>", "only runs of this workflow")
      .option("--limit <n>", "at most this many")
      .option("--json", "print JSON"),
  ).action(action(runListCommand));
  withConnection(run.command("get").description("show a run and its steps").argument("<id>").option("--json", "print JSON")).action(action(runGetCommand));
  withConnection(run.command("cancel").description("cancel a run and its unfinished steps").argument("<id>").option("--json", "print JSON")).action(
    action(runCancelCommand),
  );
  withConnection(
    run
      .command("rerun")
      .description("run a finished run again from a step: that step and everything after it, keeping upstream results")
      .argument("<id>")
      .requiredOption("--from <step>", "the step to start again from")
      .option("--wait", "follow the run, printing each step's status change; exit 0 only if it succeeded")
      .option("--json", "print JSON"),
  ).action(action(runRerunCommand));
  for (const decision of ["approve", "reject"] as const) {
    withConnection(
      run
        .command(decision)
        .description(`${decision} an approval step that waits`)
        .argument("<id>", "the run")
        .argument("<step>", "the approval step")
        .option("--comment <text>", "why, recorded with the decision")
        .option("--json", "print JSON"),
    ).action(action(decideCommand(decision)));
  }

  withConnection(program.command("approvals").description("list approval steps that wait for a decision").option("--json", "print JSON")).action(
    action(approvalsCommand),
  );
}
