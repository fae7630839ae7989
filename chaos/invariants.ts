// The chaos suite's verdicts, as pure functions over rows read from the SQLite file and over
// what the harness itself observed. Nothing here does I/O, so every rule is unit-tested
// (invariants.test.ts) apart from the processes that produce the rows.
//
// Vocabulary:
// - "harness work" is what the suite itself asked for: tasks whose idempotency key carries the
//   harness prefix, and the tasks of workflow runs the harness's token triggered. Those must each
//   end exactly once. Tasks the fuzzer created are hostile noise: some legitimately wait forever
//   (a capability nobody has), so they are held only to "never more than one ending".
// - intent: what the harness built a task to do. Tasks built to succeed (short and long shell
//   tasks, every workflow step) must end `succeeded`; tasks built to fail (a command that exits
//   non-zero) must end `failed`, or `dead` when chaos used up their attempts. `canceled` is an
//   expected end only for a task the scenario itself canceled.
// - lost: harness work that never reached a terminal state, or that was built to succeed and
//   ended otherwise (dead, failed, canceled by nobody in the harness); a workflow run that was
//   not stored, never finished or did not succeed; messages stored for the receiver that it
//   never handled.
// - duplicated: a task with more than one terminal (or more than one succeeded) record, an
//   idempotency key answered with two task ids, a message handled twice or stored twice.

export const TERMINAL = ["succeeded", "failed", "dead", "canceled"] as const;
export type Terminal = (typeof TERMINAL)[number];
const isTerminal = (s: string): s is Terminal => (TERMINAL as readonly string[]).includes(s);
const FINISHED_RUN = new Set(["succeeded", "failed", "canceled"]);

export interface TaskRow {
  id: string;
  status: string;
  idempotencyKey: string | null;
  runId: string | null;
  stepId: string | null;
  attempt: number;
  /** Attempts that failed or were lost, and the budget: a task dead with none left ran out of retries. */
  failures: number;
  maxAttempts: number;
  agentId: string | null;
}

/** What the harness built a task to do (see the header). */
export type Intent = "succeed" | "fail";

export interface EventRow {
  id: number;
  taskId: string;
  type: string;
  /** Epoch ms (the store writes ISO text; db.ts converts). */
  at: number;
  attempt: number;
  agentId: string | null;
  message: string | null;
}

export interface RunRow {
  id: string;
  status: string;
  templateName: string;
  triggeredBy: string;
}

export interface StepRow {
  runId: string;
  stepId: string;
  status: string;
}

export interface Violation {
  kind:
    | "lost"
    | "duplicated"
    | "inconsistent"
    | "unexpected-end"
    | "tally"
    | "not-recovered"
    | "undetected"
    | "slow-healthz"
    | "foreign-completion"
    | "unexpected-reassign"
    | "http-5xx"
    | "server-error"
    | "process"
    | "settle"
    | "other";
  /** The task, message, run or request concerned. */
  subject: string;
  detail: string;
}

export interface Verdict {
  violations: Violation[];
  lost: number;
  duplicated: number;
}

const merge = (...vs: Verdict[]): Verdict => ({
  violations: vs.flatMap((v) => v.violations),
  lost: vs.reduce((n, v) => n + v.lost, 0),
  duplicated: vs.reduce((n, v) => n + v.duplicated, 0),
});
export { merge as mergeVerdicts };

const fmtTime = (ms: number) => new Date(ms).toISOString().slice(11, 23);
const describeEvent = (e: EventRow) => `${e.type}@${fmtTime(e.at)} attempt ${e.attempt}${e.agentId ? ` by ${e.agentId}` : ""}`;

export function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export interface TaskCheckInput {
  tasks: readonly TaskRow[];
  /** At least the terminal events of every task (more types are fine). */
  events: readonly EventRow[];
  /** Is this task the harness's own work (must end exactly once)? */
  isHarnessTask: (t: TaskRow) => boolean;
  /** What a harness task was built to do; undefined: only "ends exactly once" is checked. */
  intent?: (t: TaskRow) => Intent | undefined;
  /** Task ids the scenarios canceled themselves: `canceled` is a right end for those. */
  canceledByHarness?: ReadonlySet<string>;
  /** Agent ids allowed to end harness tasks (the runner fleet); undefined skips the check. */
  fleetAgentIds?: ReadonlySet<string>;
}

/** The ends a task may have: what it was built for, and `canceled` when the harness canceled it (the cancel may also lose a race with the end). */
function rightEnds(intent: Intent | undefined, canceledByHarness: boolean): readonly string[] | null {
  const built = intent === "succeed" ? ["succeeded"] : intent === "fail" ? ["failed", "dead"] : null;
  if (!canceledByHarness) return built;
  return [...(built ?? TERMINAL), "canceled"];
}

/**
 * Every harness task: exactly one terminal event, a terminal status that agrees with it, at
 * most one `succeeded`, and the end it was built for (a task built to succeed that ended
 * otherwise is lost work); its ending came from a fleet agent (or the server: dead/canceled).
 * Every other task: at most one terminal event.
 */
export function checkTasks(input: TaskCheckInput): Verdict & { harnessTasks: number } {
  const violations: Violation[] = [];
  let lost = 0;
  let duplicated = 0;
  let harnessTasks = 0;
  const events = groupBy(
    input.events.filter((e) => isTerminal(e.type)),
    (e) => e.taskId,
  );
  for (const t of input.tasks) {
    const ends = (events.get(t.id) ?? []).sort((a, b) => a.id - b.id);
    const succeeded = ends.filter((e) => e.type === "succeeded").length;
    const label = `task ${t.id}${t.idempotencyKey ? ` (key ${t.idempotencyKey})` : ""}${t.runId ? ` (run ${t.runId} step ${t.stepId})` : ""}`;
    const harness = input.isHarnessTask(t);
    if (harness) harnessTasks++;
    if (ends.length > 1 || succeeded > 1) {
      duplicated++;
      violations.push({ kind: "duplicated", subject: label, detail: `${ends.length} terminal records: ${ends.map(describeEvent).join(", ")}` });
    }
    if (!harness) continue;
    if (ends.length === 0) {
      lost++;
      violations.push({ kind: "lost", subject: label, detail: `no terminal record; status ${t.status}, attempt ${t.attempt}${t.agentId ? `, held by ${t.agentId}` : ""}` });
      continue;
    }
    const last = ends[ends.length - 1];
    if (!isTerminal(t.status) || t.status !== last.type) {
      violations.push({ kind: "inconsistent", subject: label, detail: `status ${t.status} but the history ends with ${describeEvent(last)}` });
    }
    const intent = input.intent?.(t);
    const right = rightEnds(intent, input.canceledByHarness?.has(t.id) ?? false);
    if (right && !right.includes(last.type)) {
      const why = `${describeEvent(last)}${last.message ? ` ("${last.message}")` : ""}; ${t.failures} of ${t.maxAttempts} attempts used`;
      if (intent === "succeed" || last.type === "canceled") {
        // The work was not done (or was stopped by someone the harness does not know): lost.
        lost++;
        violations.push({ kind: "lost", subject: label, detail: `built to ${intent ?? "end by itself"} but ended ${last.type}: ${why}` });
      } else {
        violations.push({ kind: "unexpected-end", subject: label, detail: `built to ${intent} but ended ${last.type}: ${why}` });
      }
    }
    if (input.fleetAgentIds && (last.type === "succeeded" || last.type === "failed") && last.agentId && !input.fleetAgentIds.has(last.agentId)) {
      violations.push({ kind: "foreign-completion", subject: label, detail: `${describeEvent(last)}: that agent is not one of the harness's runners` });
    }
  }
  return { violations, lost, duplicated, harnessTasks };
}

/**
 * The per-status tally of the tasks one scenario submitted, counted from the harness's own
 * record of what it submitted (not from the store's rows picked by a predicate, which would
 * check nothing if the predicate matched nothing): each acknowledged submission must be stored,
 * those built to succeed must all be `succeeded`, those built to fail `failed` or `dead`.
 */
export function checkTally(
  subject: string,
  submitted: readonly { key: string; intent: Intent }[],
  tasks: readonly TaskRow[],
  canceledByHarness: ReadonlySet<string> = new Set(),
): Verdict & { byStatus: Record<string, number> } {
  const byKey = new Map(tasks.filter((t) => t.idempotencyKey).map((t) => [t.idempotencyKey!, t]));
  const byStatus: Record<string, number> = {};
  const wrong: Record<Intent, Record<string, number>> = { succeed: {}, fail: {} };
  const built: Record<Intent, number> = { succeed: 0, fail: 0 };
  for (const s of submitted) {
    const t = byKey.get(s.key);
    const status = t ? t.status : "missing";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    built[s.intent]++;
    const right = rightEnds(s.intent, !!t && canceledByHarness.has(t.id))!;
    if (!right.includes(status)) wrong[s.intent][status] = (wrong[s.intent][status] ?? 0) + 1;
  }
  const violations: Violation[] = [];
  const fmt = (r: Record<string, number>) =>
    Object.entries(r)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
  for (const intent of ["succeed", "fail"] as const) {
    const n = Object.values(wrong[intent]).reduce((a, b) => a + b, 0);
    if (n > 0) violations.push({ kind: "tally", subject, detail: `${n} of ${built[intent]} tasks built to ${intent} did not end as built: ${fmt(wrong[intent])} (all: ${fmt(byStatus)})` });
  }
  return { violations, lost: 0, duplicated: 0, byStatus };
}

/** Each idempotency key the harness used must map to one task, whatever the retries answered. */
export function checkIdempotency(answers: ReadonlyMap<string, ReadonlySet<string>>, tasks: readonly TaskRow[]): Verdict {
  const violations: Violation[] = [];
  let duplicated = 0;
  const byKey = groupBy(
    tasks.filter((t) => t.idempotencyKey),
    (t) => t.idempotencyKey!,
  );
  for (const [key, ids] of answers) {
    const stored = byKey.get(key) ?? [];
    const all = new Set([...ids, ...stored.map((t) => t.id)]);
    if (all.size > 1) {
      duplicated += all.size - 1;
      violations.push({ kind: "duplicated", subject: `key ${key}`, detail: `answered with task ids ${[...ids].join(", ") || "(none)"}; stored as ${stored.map((t) => t.id).join(", ") || "(none)"}` });
    } else if (ids.size > 0 && stored.length === 0) {
      violations.push({ kind: "lost", subject: `key ${key}`, detail: `submit answered 201 with task ${[...ids][0]}, but no task with that key is stored` });
    }
  }
  return { violations, lost: violations.filter((v) => v.kind === "lost").length, duplicated };
}

/**
 * Every run the harness triggered (as stored, and as answered 201) is built to succeed: one
 * not stored, never finished, or ended failed or canceled is a lost run. A finished run has
 * no open step.
 */
export function checkRuns(runs: readonly RunRow[], steps: readonly StepRow[], isHarnessRun: (r: RunRow) => boolean, startedIds: ReadonlySet<string>): Verdict {
  const violations: Violation[] = [];
  let lost = 0;
  const stepsOf = groupBy(steps, (s) => s.runId);
  const known = new Set(runs.map((r) => r.id));
  for (const id of startedIds) {
    if (!known.has(id)) {
      lost++;
      violations.push({ kind: "lost", subject: `run ${id}`, detail: "start answered 201 but the run is not stored" });
    }
  }
  for (const r of runs) {
    if (!isHarnessRun(r) && !startedIds.has(r.id)) continue;
    const all = stepsOf.get(r.id) ?? [];
    const open = all.filter((s) => !["succeeded", "failed", "skipped", "canceled"].includes(s.status));
    const fmt = (list: readonly StepRow[]) => list.map((s) => `${s.stepId}=${s.status}`).join(", ") || "(none)";
    if (!FINISHED_RUN.has(r.status)) {
      lost++;
      violations.push({ kind: "lost", subject: `run ${r.id}`, detail: `never finished: status ${r.status}; open steps: ${fmt(open)}` });
      continue;
    }
    if (open.length) violations.push({ kind: "inconsistent", subject: `run ${r.id}`, detail: `run ${r.status} but steps still ${fmt(open)}` });
    if (r.status !== "succeeded") {
      lost++;
      violations.push({ kind: "lost", subject: `run ${r.id}`, detail: `built to succeed but ended ${r.status}; steps: ${fmt(all.filter((s) => s.status !== "succeeded"))}` });
    }
  }
  return { violations, lost, duplicated: 0 };
}

export type SendState = { state: "pending" } | { state: "sent"; messageId: string } | { state: "failed"; error: string };

/**
 * Every body the sender sent (the server acknowledged it as stored) was handled exactly once by
 * the receiver; none was stored twice. A send the server refused is not "lost" unless it was
 * stored anyway (then it must be handled once like any other). A send still pending after the
 * settle period counts as lost: the sender was never told the message got anywhere.
 */
export function checkMessages(sent: ReadonlyMap<string, SendState>, handled: ReadonlyMap<string, number>, storedBodies: ReadonlyMap<string, number>): Verdict & { sent: number; failed: number } {
  const violations: Violation[] = [];
  let lost = 0;
  let duplicated = 0;
  let ok = 0;
  let failed = 0;
  for (const [body, s] of sent) {
    const n = handled.get(body) ?? 0;
    const stored = storedBodies.get(body) ?? 0;
    if (stored > 1) {
      duplicated++;
      violations.push({ kind: "duplicated", subject: `message "${body}"`, detail: `stored ${stored} times` });
    }
    if (n > 1) {
      duplicated++;
      violations.push({ kind: "duplicated", subject: `message "${body}"`, detail: `handled ${n} times by the receiver (stored ${stored}×)` });
    }
    if (s.state === "sent") ok++;
    if (s.state === "failed") failed++;
    if (n === 0) {
      if (s.state === "sent") {
        lost++;
        violations.push({ kind: "lost", subject: `message "${body}"`, detail: `acknowledged as stored (${s.messageId}) but never handled by the receiver (stored ${stored}×)` });
      } else if (s.state === "pending") {
        lost++;
        violations.push({ kind: "lost", subject: `message "${body}"`, detail: `the send never settled and the receiver never got it (stored ${stored}×)` });
      } else if (stored > 0) {
        lost++;
        violations.push({ kind: "lost", subject: `message "${body}"`, detail: `the send failed (${s.error}) yet it was stored ${stored}× and never handled` });
      }
    }
  }
  for (const [body, n] of handled) {
    if (!sent.has(body)) violations.push({ kind: "other", subject: `message "${body}"`, detail: `handled ${n}× but the harness never sent it` });
  }
  return { violations, lost, duplicated, sent: ok, failed };
}

/**
 * Tasks an agent held when it was killed or stalled past its lease must go to another agent:
 * the recovery time is from the kill to the first later `assigned` event naming a different
 * agent (or, for a same-name restart, a higher attempt). Tasks that finished anyway (the
 * snapshot raced their completion) are skipped; the rest without a new assignment are "not
 * recovered" with their fate.
 */
export interface Incident {
  at: number;
  agentId: string;
  agentName: string;
  /** Task ids (with the attempt they had) the agent held just before. */
  held: { taskId: string; attempt: number }[];
}

export function recoveryTimes(incidents: readonly Incident[], events: readonly EventRow[]): { samples: number[]; notRecovered: { incident: Incident; taskId: string; fate: string }[] } {
  const byTask = groupBy(events, (e) => e.taskId);
  const samples: number[] = [];
  const notRecovered: { incident: Incident; taskId: string; fate: string }[] = [];
  for (const inc of incidents) {
    for (const h of inc.held) {
      const evs = (byTask.get(h.taskId) ?? []).slice().sort((a, b) => a.id - b.id);
      // Reported finished by the victim itself (its report raced the kill): nothing to recover.
      // (`dead` names the victim too, but is the server giving up: that is "not recovered".)
      const endedByVictim = evs.find((e) => (e.type === "succeeded" || e.type === "failed") && e.attempt === h.attempt && e.agentId === inc.agentId);
      if (endedByVictim) continue;
      const next = evs.find((e) => e.type === "assigned" && e.at >= inc.at && e.attempt > h.attempt && e.agentId !== inc.agentId);
      if (next) {
        samples.push((next.at - inc.at) / 1000);
        continue;
      }
      const end = evs.find((e) => isTerminal(e.type) && e.at >= inc.at - 1000);
      notRecovered.push({ incident: inc, taskId: h.taskId, fate: end ? describeEvent(end) : `last event ${evs.length ? describeEvent(evs[evs.length - 1]) : "(none)"}` });
    }
  }
  return { samples, notRecovered };
}

/**
 * Recovery as a verdict: a held task that never went to another agent is a failure — unless it
 * could not be: it ended `dead` with its retry budget used up (the attempt the victim held was
 * its last), or the harness canceled it. Those are notes.
 */
export function checkRecovery(
  incidents: readonly Incident[],
  events: readonly EventRow[],
  tasks: readonly TaskRow[],
  canceledByHarness: ReadonlySet<string> = new Set(),
): Verdict & { samples: number[]; notes: string[] } {
  const r = recoveryTimes(incidents, events);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const violations: Violation[] = [];
  const notes: string[] = [];
  for (const n of r.notRecovered) {
    const t = byId.get(n.taskId);
    const what = `task ${n.taskId} held by ${n.incident.agentName} at ${fmtTime(n.incident.at)}`;
    if (t && t.status === "dead" && t.failures >= t.maxAttempts) notes.push(`${what} was not reassigned: it had no attempt left (${t.failures} of ${t.maxAttempts} used); ${n.fate}`);
    else if (canceledByHarness.has(n.taskId)) notes.push(`${what} was not reassigned: the harness canceled it; ${n.fate}`);
    else violations.push({ kind: "not-recovered", subject: `task ${n.taskId}`, detail: `held by ${n.incident.agentName} when it was killed or stalled at ${fmtTime(n.incident.at)}, never assigned to another agent: ${n.fate}${t ? `; now ${t.status}, ${t.failures} of ${t.maxAttempts} attempts used` : ""}` });
  }
  return { violations, lost: 0, duplicated: 0, samples: r.samples, notes };
}

/** What the harness saw of one killed or stalled agent: seconds until the server showed it not healthy, and offline; null: never. */
export interface DetectionSample {
  what: string;
  offlineS: number | null;
  unhealthyS: number | null;
}

/**
 * Detection = the server shows the agent is not healthy (unhealthy or offline, with the reason):
 * the state an operator sees. An agent never shown either way is undetected — a failure, with
 * no figure (a made-up time would hide it in the percentiles). One shown unhealthy but never
 * offline while it was gone is a failure too: the scheduler would keep offering it work.
 */
export function checkDetections(ds: readonly DetectionSample[]): Verdict & { detect: number[]; offline: number[]; undetected: number } {
  const violations: Violation[] = [];
  const detect: number[] = [];
  const offline: number[] = [];
  let undetected = 0;
  for (const d of ds) {
    const first = d.unhealthyS ?? d.offlineS;
    if (first === null) {
      undetected++;
      violations.push({ kind: "undetected", subject: d.what, detail: "the server never showed the agent unhealthy or offline while it was gone" });
      continue;
    }
    detect.push(first);
    if (d.offlineS === null) violations.push({ kind: "other", subject: d.what, detail: `shown unhealthy after ${first.toFixed(2)} s but never offline while it was gone` });
    else offline.push(d.offlineS);
  }
  return { violations, lost: 0, duplicated: 0, detect, offline, undetected };
}

export interface LatencySample {
  at: number;
  ms: number;
  /** 0: no answer. */
  status: number;
}

/**
 * The event loop must keep answering while the database is locked: /healthz probes started in
 * the windows (and up to `leadMs` before each, since a probe sent just before can be held up
 * too) must answer 200 with a p99 at or under `boundMs`. A probe that failed counts as
 * infinitely slow. No probe in the windows is itself a failure: the check would prove nothing.
 */
export function checkLatencyDuring(
  subject: string,
  samples: readonly LatencySample[],
  windows: readonly { from: number; to: number }[],
  boundMs: number,
  leadMs = 200,
): Verdict & { n: number; p99: number | null; max: number | null } {
  const inside = samples.filter((s) => windows.some((w) => s.at >= w.from - leadMs && s.at <= w.to));
  const ms = inside.map((s) => (s.status === 200 ? s.ms : Infinity));
  const p99 = percentile(ms, 99);
  const max = ms.length ? Math.max(...ms) : null;
  const violations: Violation[] = [];
  if (windows.length && inside.length === 0) {
    violations.push({ kind: "slow-healthz", subject, detail: `no probe ran during the ${windows.length} window(s): the latency was not measured` });
  } else if (p99 !== null && p99 > boundMs) {
    const failed = inside.filter((s) => s.status !== 200).length;
    violations.push({ kind: "slow-healthz", subject, detail: `p99 ${fmtMs(p99)} over ${inside.length} probes (max ${fmtMs(max)}${failed ? `, ${failed} unanswered` : ""}) exceeds the bound of ${boundMs} ms` });
  }
  return { violations, lost: 0, duplicated: 0, n: inside.length, p99, max };
}

export const fmtMs = (v: number | null) => (v === null ? "na" : Number.isFinite(v) ? `${v.toFixed(0)} ms` : "no answer");

/** Seconds from `since` to the first `assigned` event at or after it; null if none. */
export function firstAssignedAfter(events: readonly EventRow[], since: number): number | null {
  let best: number | null = null;
  for (const e of events) if (e.type === "assigned" && e.at >= since && (best === null || e.at < best)) best = e.at;
  return best === null ? null : (best - since) / 1000;
}

/**
 * Attempts that were taken away from an agent inside a window while they should have been kept
 * (a short stall or a network cut, both shorter than the lease): `lease_expired` events naming
 * one of those agents in the window.
 */
export function unexpectedExpiries(events: readonly EventRow[], agentIds: ReadonlySet<string>, from: number, to: number): Violation[] {
  return events
    .filter((e) => e.type === "lease_expired" && e.agentId && agentIds.has(e.agentId) && e.at >= from && e.at <= to)
    .map((e) => ({ kind: "unexpected-reassign" as const, subject: `task ${e.taskId}`, detail: `${describeEvent(e)}: ${e.message ?? ""} (the agent was only cut off or stalled for less than the lease)` }));
}

/** Nearest-rank percentile of an unsorted sample; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const fmtSeconds = (v: number | null | undefined, digits = 2) => (v == null || !Number.isFinite(v) ? "na" : v.toFixed(digits));
