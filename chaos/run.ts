// npm run chaos [-- --short] [--fast] [--only 1,3] [--seed N] [--duration S] [--fuzz-rate R]
//
// The chaos suite: starts the real server and real `switchboard agent` runners on 127.0.0.1,
// keeps real work flowing (shell tasks over REST with idempotency keys, workflow runs, a
// message stream between two SDK agents), and breaks things one scenario at a time:
//   1 agent-kill              SIGKILL runners (replaced at once)
//   2 server-kill             SIGKILL the control plane, restart it on the same port and data
//   3 network-flap-and-stall  TCP proxy cuts/partitions under some agents; SIGSTOP others
//   4 db-locked               another process holds SQLite's write lock for 3 s, repeatedly
//   5 hostile-flood           fast-check generated malformed/hostile HTTP, tRPC, MCP, Socket.IO
// After each: stop new work, let the system settle (bounded), then judge from the SQLite file
// and the APIs (invariants.ts). One line per scenario, then exactly one RESULT line; exit 1 if
// any scenario failed. Everything started is stopped, also on failure and Ctrl-C.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createToken } from "@/testing/server-process";
import { DbReader, dbFile } from "./db";
import { Fleet } from "./fleet";
import { apiClient, Observer, type ApiClient } from "./http";
import {
  checkDetections,
  checkIdempotency,
  checkLatencyDuring,
  checkMessages,
  checkRecovery,
  checkRuns,
  checkTally,
  checkTasks,
  firstAssignedAfter,
  fmtMs,
  fmtSeconds,
  mergeVerdicts,
  percentile,
  unexpectedExpiries,
  TERMINAL,
  type Intent,
  type TaskRow,
  type Verdict,
  type Violation,
} from "./invariants";
import { Messenger, PIPELINE, RunLoad, TaskLoad } from "./load";
import { HealthProbe, serverErrors } from "./monitor";
import { TcpProxy } from "./proxy";
import { groupViolations } from "./report";
import { SCENARIOS, emptyRecord, type ChaosRecord, type Ctx } from "./scenarios";

const { values: args } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    fast: { type: "boolean", default: false },
    only: { type: "string" },
    seed: { type: "string" },
    duration: { type: "string" },
    "fuzz-rate": { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const SHORT = args.short;
// Server defaults unless --fast (the test helper's own faster timings).
const HEARTBEAT_MS = args.fast ? 300 : 2000;
const LEASE_MS = args.fast ? 1500 : 6000;
const SEED = Number(args.seed ?? Date.now() % 1_000_000);
const DURATIONS = SHORT ? [18, 18, 18, 15, 15] : [60, 60, 60, 60, 60];
const SETTLE_MS = SHORT ? 40_000 : 90_000;
const FUZZ_RATE = Number(args["fuzz-rate"] ?? (SHORT ? 150 : 200));
const ONLY = args.only ? new Set(args.only.split(",").map(Number)) : null;

const PREFIX = "chaos-";
const MSG_PREFIX = "chaos-msg-";
const REQUIRES = ["shell"];
const LABELS = { pool: "chaos" };
const TEMPLATE = "chaos-pipeline";
const SUBMIT_TOKEN_NAME = "chaos-submit";
const RUNNERS_DIRECT = 4;
const RUNNERS_PROXIED = 2;
// The README promises a locked database never freezes the event loop: /healthz answers from
// memory, so while another process holds the write lock its p99 must stay within what a busy
// 2-core machine adds anyway (probes elsewhere in the suite answer in tens of ms), far below
// the 3 s lock or SQLite's 5 s busy timeout that a synchronous write would wait out.
const HEALTHZ_LOCK_P99_MS = 250;

/** mulberry32: reproducible choices (victims, task mix) from --seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (line: string) => process.stdout.write(line + "\n");
const log = (line: string) => {
  if (args.verbose) process.stderr.write(line + "\n");
};

interface ScenarioOutcome {
  id: number;
  name: string;
  passed: boolean;
  detect: number[];
  undetected: number;
  recover: number[];
  restart: number[];
}

async function main(): Promise<number> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-chaos-"));
  out(`chaos: mode=${SHORT ? "short" : "full"} heartbeat_ms=${HEARTBEAT_MS} lease_ms=${LEASE_MS} seed=${SEED} logs=${logDir}`);
  const rnd = rng(SEED);
  const observer = new Observer();
  const fleet = new Fleet({
    logDir,
    serverOptions: { env: { SWITCHBOARD_HEARTBEAT_MS: String(HEARTBEAT_MS), SWITCHBOARD_LEASE_TTL_MS: String(LEASE_MS) } },
    runnerCapabilities: REQUIRES,
    runnerLabels: Object.entries(LABELS).map(([k, v]) => `${k}=${v}`),
    slots: 2,
  });
  let proxy: TcpProxy | null = null;
  let probe: HealthProbe | null = null;
  let messenger: Messenger | null = null;
  let db: DbReader | null = null;
  let load: TaskLoad | null = null;
  let runLoad: RunLoad | null = null;

  const cleanup = async () => {
    load?.pause();
    runLoad?.pause();
    await messenger?.close().catch(() => undefined);
    await probe?.stop().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await fleet.cleanup();
    try {
      fleet.saveLogs();
      if (messenger) fs.writeFileSync(path.join(logDir, "messenger.log"), messenger.log.join("\n"));
      if (observer.fiveXX.length) fs.writeFileSync(path.join(logDir, "5xx.jsonl"), observer.fiveXX.map((x) => JSON.stringify(x)).join("\n"));
    } catch {
      /* logs are best effort */
    }
  };
  let cleaning: Promise<void> | null = null;
  const onSignal = (sig: string) => {
    out(`chaos: ${sig}: stopping everything`);
    cleaning ??= cleanup();
    void cleaning.finally(() => process.exit(130));
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));

  const outcomes: ScenarioOutcome[] = [];
  let finalVerdict: Verdict = { violations: [], lost: 0, duplicated: 0 };
  let tasksSubmitted = 0;
  let fatal: Error | null = null;
  try {
    // ---- Set up: server, tokens, proxy, probe, template, fleet, messaging ----
    const server = await fleet.startServer();
    const [agentToken, submitToken, readToken, adminToken, fuzzAgent, fuzzSubmit, fuzzRead, fuzzAdmin] = await Promise.all([
      createToken(server, "chaos-agents", "agent"),
      createToken(server, SUBMIT_TOKEN_NAME, "submit"),
      createToken(server, "chaos-read", "read"),
      createToken(server, "chaos-admin", "admin"),
      createToken(server, "fuzz-agent", "agent"),
      createToken(server, "fuzz-submit", "submit"),
      createToken(server, "fuzz-read", "read"),
      createToken(server, "fuzz-admin", "admin"),
    ]);
    fleet.agentToken = agentToken;
    const port = () => fleet.server.port;
    const submit = apiClient(port, submitToken, observer, "load");
    const read = apiClient(port, readToken, observer, "poller");
    const admin = apiClient(port, adminToken, observer, "setup");

    proxy = new TcpProxy(server.port);
    await proxy.start();
    probe = new HealthProbe(server.port);
    probe.start();

    const applied = await admin.post("/api/v1/workflows", { source: PIPELINE(TEMPLATE, REQUIRES, LABELS), format: "yaml" });
    if (applied.status !== 201) throw new Error(`could not apply the workflow template: ${applied.status} ${applied.text}`);

    for (let i = 0; i < RUNNERS_DIRECT; i++) fleet.startRunner(server.url, false);
    for (let i = 0; i < RUNNERS_PROXIED; i++) fleet.startRunner(proxy.url, true);
    await waitOnline(read, fleet.liveRunners().map((r) => r.name), 60_000);

    messenger = new Messenger({ server: proxy.url, token: agentToken, prefix: MSG_PREFIX, ratePerSec: 20, senderName: "chaos-msg-sender", receiverName: "chaos-msg-receiver", rnd });
    await messenger.connect();
    db = new DbReader(dbFile(server.dataDir));
    load = new TaskLoad(submit, { ratePerSec: 5, prefix: PREFIX, requires: REQUIRES, labels: LABELS, rnd });
    runLoad = new RunLoad(submit, TEMPLATE, 3_000);
    out(`chaos: ready: server ${server.url} (data ${server.dataDir}), ${RUNNERS_DIRECT} direct + ${RUNNERS_PROXIED} proxied runners (2 slots each), proxy ${proxy.url}`);

    const ctxBase = { short: SHORT, heartbeatMs: HEARTBEAT_MS, leaseMs: LEASE_MS, fleet, proxy, db, read, observer, load, seed: SEED, fuzzRate: FUZZ_RATE, rnd, log };
    const fuzzTokens = { agent: fuzzAgent, submit: fuzzSubmit, read: fuzzRead, admin: fuzzAdmin };
    const reported = new Set<string>();
    const serverOffsets = new Map<unknown, number>();
    /** Task ids the scenarios canceled themselves (canceled is then a right end). */
    const canceledByHarness = new Set<string>();

    // ---- Scenarios ----
    for (const [i, sc] of SCENARIOS.entries()) {
      if (ONLY && !ONLY.has(sc.id)) continue;
      const durationMs = 1000 * Number(args.duration ?? DURATIONS[i]);
      const ctx: Ctx = { ...ctxBase, durationMs, fuzzTokens };
      const t0 = Date.now();
      const fiveXXBefore = observer.fiveXX.length;
      const unexpectedBefore = fleet.unexpected.length;
      const sentBefore = messenger.sent.size;
      const runsBefore = new Set(runLoad.started);
      const handles = () => fleet.serverHandles();
      for (const h of handles()) if (!serverOffsets.has(h)) serverOffsets.set(h, h.output().length);

      load.scenario = sc.id;
      load.start();
      runLoad.start();
      messenger.start();
      log(`[${sc.id}] ${sc.name}: chaos for ${durationMs / 1000} s`);
      let rec: ChaosRecord;
      let chaosError: Error | null = null;
      try {
        rec = await sc.chaos(ctx, t0 + durationMs);
        // The load runs for the whole duration even when the last chaos action came earlier.
        await sleep(Math.max(0, t0 + durationMs - Date.now()));
      } catch (e) {
        chaosError = e as Error;
        rec = emptyRecord();
      }
      const chaosEnd = Date.now();
      for (const id of rec.canceled) canceledByHarness.add(id);
      load.pause();
      runLoad.pause();
      messenger.pause();

      // ---- Repair what the scenario left broken, then settle ----
      for (const r of fleet.liveRunners()) fleet.resume(r);
      if (!fleet.serverAlive()) {
        rec.violations.push("the server was not running after the scenario; restarting it");
        await fleet.restartServer();
      }
      // A runner that died on its own is a finding (fleet.unexpected); keep the fleet at full size.
      for (const r of fleet.runners.filter((x) => !x.killed && x.handle.proc.exitCode !== null)) {
        r.killed = true;
        fleet.startRunner(r.viaProxy ? proxy.url : fleet.server.url, r.viaProxy);
      }
      const settleStart = Date.now();
      const settleDeadline = settleStart + SETTLE_MS;
      await load.drain(settleDeadline);
      await runLoad.drain();
      const harnessRun = (r: { triggeredBy: string; id: string }) => r.triggeredBy === `token:${SUBMIT_TOKEN_NAME}` || runLoad!.started.has(r.id);
      let settled = false;
      while (Date.now() < settleDeadline) {
        const s = db.snapshot(MSG_PREFIX);
        const runIds = new Set(s.runs.filter(harnessRun).map((r) => r.id));
        const openTasks = s.tasks.filter((t) => (t.idempotencyKey?.startsWith(PREFIX) || (t.runId && runIds.has(t.runId))) && !(TERMINAL as readonly string[]).includes(t.status));
        const openRuns = s.runs.filter((r) => runIds.has(r.id) && r.status === "running");
        if (openTasks.length === 0 && openRuns.length === 0 && messenger.settled()) {
          settled = true;
          break;
        }
        await sleep(500);
      }
      const settleS = (Date.now() - settleStart) / 1000;

      // ---- Judge (cumulative over everything so far; new findings are this scenario's) ----
      const snap = db.snapshot(MSG_PREFIX);
      const runIds = new Set(snap.runs.filter(harnessRun).map((r) => r.id));
      const fleetIds = new Set(snap.agents.filter((a) => a.name.startsWith("chaos-runner-")).map((a) => a.id));
      const isHarnessTask = (t: { idempotencyKey: string | null; runId: string | null }) => !!(t.idempotencyKey?.startsWith(PREFIX) || (t.runId && runIds.has(t.runId)));
      // Submitted tasks by the kind the harness chose; every workflow step is built to succeed.
      const intentOfKind = (kind: string): Intent => (kind === "fail" ? "fail" : "succeed");
      const intent = (t: TaskRow): Intent | undefined => {
        const sub = t.idempotencyKey ? load!.submissions.get(t.idempotencyKey) : undefined;
        return sub ? intentOfKind(sub.kind) : t.runId && runIds.has(t.runId) ? "succeed" : undefined;
      };
      const tasks = checkTasks({ tasks: snap.tasks, events: snap.events, isHarnessTask, intent, canceledByHarness, fleetAgentIds: fleetIds });
      const idem = checkIdempotency(load.answers(), snap.tasks);
      const runsV = checkRuns(snap.runs, snap.steps, harnessRun, runLoad.started);
      const msgs = checkMessages(messenger.sent, messenger.handled, snap.messageBodies);
      finalVerdict = mergeVerdicts(tasks, idem, runsV, msgs);
      tasksSubmitted = [...load.submissions.values()].filter((s) => s.ids.size > 0 || snap.tasks.some((t) => t.idempotencyKey === s.key)).length;

      // This scenario's submissions, tallied by status from the harness's own record.
      const storedKeys = new Set(snap.tasks.map((t) => t.idempotencyKey));
      const scSubmitted = [...load.submissions.values()].filter((x) => x.scenario === sc.id && (x.ids.size > 0 || storedKeys.has(x.key)));
      const tally = checkTally(`scenario ${sc.id} tasks`, scSubmitted.map((x) => ({ key: x.key, intent: intentOfKind(x.kind) })), snap.tasks, canceledByHarness);
      const scRuns = snap.runs.filter((r) => runLoad!.started.has(r.id) && !runsBefore.has(r.id));

      const extra: Violation[] = [...tally.violations];
      if (chaosError) extra.push({ kind: "other", subject: `scenario ${sc.name}`, detail: `the chaos step failed: ${chaosError.message.split("\n")[0]}` });
      for (const v of rec.violations) extra.push({ kind: "other", subject: `scenario ${sc.name}`, detail: v });
      if (!settled) extra.push({ kind: "settle", subject: `scenario ${sc.name}`, detail: `did not settle within ${SETTLE_MS / 1000} s (open harness tasks, running runs or unhandled messages remain)` });
      for (const s of [...load.submissions.values()].filter((x) => x.scenario === sc.id && (x.outcome === "refused" || x.outcome === "gave-up"))) {
        extra.push({ kind: "other", subject: `submit ${s.key}`, detail: `${s.outcome} after ${s.tries} tries: ${s.lastError}` });
      }
      for (const p of runLoad.problems.splice(0)) extra.push({ kind: "other", subject: "workflow run start", detail: p });
      for (const x of observer.fiveXX.slice(fiveXXBefore)) {
        extra.push({ kind: "http-5xx", subject: `${x.source} ${x.method} ${x.path}`, detail: `${x.status} at ${new Date(x.at).toISOString().slice(11, 23)}; request ${JSON.stringify(x.request.slice(0, 200))}; answer ${JSON.stringify(x.answer.slice(0, 200))}` });
      }
      let writeRetries = 0;
      let serverErrorLines = 0;
      for (const h of handles()) {
        const e = serverErrors(h.output(), serverOffsets.get(h) ?? 0);
        serverOffsets.set(h, h.output().length);
        writeRetries += e.writeRetries;
        serverErrorLines += e.unexpected.length;
        // An internal error behind a socket ack or an MCP tool result shows only here.
        for (const line of e.unexpected) extra.push({ kind: "server-error", subject: "server log", detail: line.slice(0, 400) });
      }
      for (const u of fleet.unexpected.slice(unexpectedBefore)) {
        extra.push({ kind: "process", subject: u.what, detail: `exited by itself (code ${u.code}, signal ${u.signal}) at ${new Date(u.at).toISOString().slice(11, 23)}; last output: ${u.tail.split("\n").slice(-4).join(" | ").slice(0, 500)}` });
      }
      // Agents cut off or stalled for less than the lease must have kept their work.
      // A window ends early where the same agent's next long stall begins: an expiry from then on
      // is that stall's, which is expected (CI once failed on a short stall followed within the
      // lease by a long one).
      for (const w of rec.keepWindows) {
        const id = snap.agents.find((a) => a.name === w.agentName)?.id;
        const nextLong = Math.min(...rec.incidents.filter((i) => i.agentName === w.agentName && i.at >= w.from).map((i) => i.at));
        if (id) extra.push(...unexpectedExpiries(snap.events, new Set([id]), w.from, Math.min(w.to + LEASE_MS, nextLong)));
      }
      const rcv = checkRecovery(rec.incidents, snap.events, snap.tasks, canceledByHarness);
      extra.push(...rcv.violations);
      rec.notes.push(...rcv.notes);
      // Detection (see checkDetections). Offline is printed too: for a stalled process it can
      // only follow the lease TTL of silence, counted from its last heartbeat (up to one
      // interval before the stall).
      const det = checkDetections(rec.detections);
      extra.push(...det.violations);
      const { detect, offline } = det;
      const restart = rec.restarts.map((r) => firstAssignedAfter(snap.events, r.spawnAt) ?? Infinity);

      // Healthz: scenario 5 must answer within 1 s throughout; elsewhere it is reported.
      const probeWindow = probe.window(t0, chaosEnd);
      const down = (at: number) => rec.downWindows.some((w) => at >= w.from - 50 && at <= w.to + 50);
      const answered = probeWindow.filter((s) => s.status === 200);
      const healthMax = answered.length ? Math.max(...answered.map((s) => s.ms)) : null;
      const slow = probeWindow.filter((s) => !down(s.at) && (s.status !== 200 || s.ms > 1000));
      if (sc.id === 5) {
        for (const s of slow.slice(0, 10)) extra.push({ kind: "other", subject: "/healthz", detail: `${s.status ? `answered ${s.status}` : `no answer (${s.error})`} after ${s.ms.toFixed(0)} ms at ${new Date(s.at).toISOString().slice(11, 23)}` });
        if (slow.length > 10) extra.push({ kind: "other", subject: "/healthz", detail: `… and ${slow.length - 10} more slow or failed probes` });
      } else if (slow.length) {
        rec.notes.push(`/healthz: ${slow.length} of ${probeWindow.length} probes took > 1 s or failed outside restarts (max ${healthMax?.toFixed(0)} ms)`);
      }
      const lockLatency = rec.lockWindows.length ? checkLatencyDuring("/healthz while the database was locked", probeWindow, rec.lockWindows, HEALTHZ_LOCK_P99_MS) : null;
      if (lockLatency) {
        extra.push(...lockLatency.violations);
        rec.notes.push(`/healthz during the locks: p99 ${fmtMs(lockLatency.p99)}, max ${fmtMs(lockLatency.max)} over ${lockLatency.n} probes (bound: p99 ≤ ${HEALTHZ_LOCK_P99_MS} ms); store write retries logged: ${writeRetries}`);
      }

      const fresh = [...finalVerdict.violations, ...extra].filter((v) => {
        const k = `${v.kind}|${v.subject}|${["http-5xx", "server-error", "other", "process"].includes(v.kind) ? v.detail : ""}`;
        if (reported.has(k)) return false;
        reported.add(k);
        return true;
      });
      const passed = fresh.length === 0;
      const scTasks = [...load.submissions.values()].filter((s) => s.scenario === sc.id).length;
      const figures = [
        `duration_s=${((chaosEnd - t0) / 1000).toFixed(1)}`,
        `settle_s=${settleS.toFixed(1)}`,
        `tasks=${scTasks}`,
        `tasks_by_status=${fmtCounts(tally.byStatus)}`,
        `runs=${runLoad.started.size - runsBefore.size}`,
        `runs_by_status=${fmtCounts(countBy(scRuns.map((r) => r.status)))}`,
        `messages=${messenger.sent.size - sentBefore}`,
        `lost=${fresh.filter((v) => v.kind === "lost").length}`,
        `duplicated=${fresh.filter((v) => v.kind === "duplicated").length}`,
        `5xx=${observer.fiveXX.length - fiveXXBefore}`,
        `server_errors=${serverErrorLines}`,
        rec.incidents.length || rec.detections.length ? `incidents=${rec.detections.length} undetected=${det.undetected} detect_p50_s=${fmtSeconds(percentile(detect, 50))} detect_max_s=${fmtSeconds(percentile(detect, 100))} offline_max_s=${fmtSeconds(percentile(offline, 100))}` : "",
        rcv.samples.length ? `recover_n=${rcv.samples.length} recover_p50_s=${fmtSeconds(percentile(rcv.samples, 50))} recover_max_s=${fmtSeconds(percentile(rcv.samples, 100))}` : "",
        rec.restarts.length ? `restarts=${rec.restarts.length} restart_s=${restart.map((x) => fmtSeconds(x)).join(",")} listening_s=${rec.restarts.map((r) => fmtSeconds((r.listeningAt - r.spawnAt) / 1000)).join(",")}` : "",
        lockLatency ? `locks=${rec.lockWindows.length} healthz_lock_p99_ms=${lockLatency.p99 === null ? "na" : Number.isFinite(lockLatency.p99) ? lockLatency.p99.toFixed(0) : "inf"}` : "",
        `healthz_max_ms=${healthMax === null ? "na" : healthMax.toFixed(0)}`,
      ].filter(Boolean);
      out(`SCENARIO ${sc.id} ${sc.name} ${passed ? "PASS" : "FAIL"} ${figures.join(" ")}`);
      for (const n of rec.notes) out(`  note: ${n}`);
      for (const d of rec.detections) out(`  detect: ${d.what}: offline after ${fmtSeconds(d.offlineS)} s (unhealthy after ${fmtSeconds(d.unhealthyS)} s)`);
      const groups = groupViolations(fresh);
      for (const g of groups.slice(0, 30)) out(`  VIOLATION ${g.first.kind}${g.count > 1 ? ` (×${g.count}, first shown)` : ""}: ${g.first.subject}: ${g.first.detail}`);
      if (groups.length > 30) out(`  … and ${groups.length - 30} more kinds of violations`);
      outcomes.push({ id: sc.id, name: sc.name, passed, detect, undetected: det.undetected, recover: rcv.samples, restart });
      if (chaosError && !fleet.serverAlive()) throw chaosError;
    }
  } catch (e) {
    fatal = e as Error;
    out(`chaos: aborted: ${(e as Error).stack?.split("\n").slice(0, 6).join("\n  ")}`);
  } finally {
    cleaning ??= cleanup();
    await cleaning;
  }

  const all = (k: "detect" | "recover" | "restart") => outcomes.flatMap((o) => o[k]);
  const restarts = all("restart");
  const passed = outcomes.filter((o) => o.passed).length;
  out(
    `RESULT scenarios=${outcomes.length} passed=${passed} tasks=${tasksSubmitted} lost=${finalVerdict.lost} duplicated=${finalVerdict.duplicated} ` +
      `undetected=${outcomes.reduce((n, o) => n + o.undetected, 0)} detect_p99_s=${fmtSeconds(percentile(all("detect"), 99))} recover_p99_s=${fmtSeconds(percentile(all("recover"), 99))} restart_s=${fmtSeconds(restarts.length ? Math.max(...restarts) : null)}`,
  );
  const expected = ONLY ? ONLY.size : SCENARIOS.length;
  return fatal || passed < outcomes.length || outcomes.length < expected ? 1 : 0;
}

const countBy = (values: readonly string[]) => values.reduce<Record<string, number>>((m, v) => ((m[v] = (m[v] ?? 0) + 1), m), {});
const fmtCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort()
    .map(([k, v]) => `${k}:${v}`)
    .join(",") || "none";

/** Until every named runner shows up online in GET /api/v1/agents. */
async function waitOnline(api: ApiClient, names: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const a = await api.get("/api/v1/agents", 2_000);
    const online = new Set(((a.json?.agents ?? []) as { name: string; status: string }[]).filter((x) => x.status !== "offline").map((x) => x.name));
    if (names.every((n) => online.has(n))) return;
    await sleep(200);
  }
  throw new Error(`runners did not come online within ${timeoutMs / 1000} s: ${names.join(", ")}`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    out(`chaos: crashed: ${(e as Error).stack ?? e}`);
    out("RESULT scenarios=0 passed=0 tasks=0 lost=0 duplicated=0 undetected=0 detect_p99_s=na recover_p99_s=na restart_s=na");
    process.exit(1);
  },
);
