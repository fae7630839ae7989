// The shared parts of bench:dispatch and bench:peer: per-task bookkeeping (Tracker), the two
// load shapes (closed-loop burst, open-loop paced), percentiles and CPU meters — none of which
// knows which system it drives — and the Switchboard side: the real server with its own data
// directory, N SDK agents over Socket.IO, tasks submitted over HTTP, and the durability check
// (SIGKILL the server once the last completion is acknowledged, start it again on the same
// directory, read the store — the SQLite file, or PostgreSQL with --db postgres: every task must
// be stored as succeeded).
import Database from "better-sqlite3";
import pg from "pg";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { connectAgent, type Agent } from "@/agent/sdk";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(sorted: number[]): LatencySummary {
  if (sorted.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

export const ms = (v: number) => v.toFixed(1);

/** The system said no to a submit on purpose (HTTP 503: shedding load, or its queue is full). */
export class Refused extends Error {}

/**
 * Per task (by its seq, 0…total-1): when it was sent, when it first reached a handler, how
 * often it was delivered and finished, and the id the system gave it. A repeated delivery adds
 * no latency sample and is reported: every task must arrive once and finish once.
 */
export class Tracker {
  readonly sentAt: Float64Array;
  readonly receivedAt: Float64Array;
  readonly deliveries: Uint16Array;
  readonly finishes: Uint16Array;
  /** Submits the system refused (Refused): never accepted, so never expected anywhere. */
  readonly refused: Uint8Array;
  readonly idOf: (string | undefined)[];
  readonly problems: string[] = [];
  done = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly total: number) {
    this.sentAt = new Float64Array(total);
    this.receivedAt = new Float64Array(total).fill(NaN);
    this.deliveries = new Uint16Array(total);
    this.finishes = new Uint16Array(total);
    this.refused = new Uint8Array(total);
    this.idOf = new Array(total);
  }

  problem(message: string) {
    if (this.problems.length < 20) this.problems.push(message);
  }

  /** The task reached its handler (or the agent's `taskAssigned`). */
  received(seq: number, id: string) {
    if (this.deliveries[seq]++ === 0) this.receivedAt[seq] = performance.now();
    this.idOf[seq] ??= id;
  }

  /** The task's success was acknowledged. A second finish is counted, and does not count as done. */
  finished(seq: number) {
    if (this.finishes[seq]++ > 0) return;
    this.done++;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  refuse(seq: number) {
    this.refused[seq] = 1;
  }

  /** Tasks the system accepted: all but the refused ones. */
  expected() {
    let n = this.total;
    for (let i = 0; i < this.total; i++) n -= this.refused[i];
    return n;
  }

  /** Resolves at the next finish. */
  changed() {
    return new Promise<void>((r) => this.waiters.push(r));
  }

  /** Waits until `n` tasks have finished; false when `timeoutMs` passes first. */
  async untilDone(n = this.total, timeoutMs = 300_000) {
    const deadline = performance.now() + timeoutMs;
    while (this.done < n) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.changed(), new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 1000))))]);
      clearTimeout(timer);
    }
    return true;
  }

  /** Sent → first received, in ms, sorted. */
  latencies() {
    const out: number[] = [];
    for (let i = 0; i < this.total; i++) if (this.deliveries[i] > 0) out.push(this.receivedAt[i] - this.sentAt[i]);
    return out.sort((a, b) => a - b);
  }

  receivedBetween(from: number, to: number) {
    let n = 0;
    for (let i = 0; i < this.total; i++) if (this.receivedAt[i] >= from && this.receivedAt[i] <= to) n++;
    return n;
  }

  lastReceivedAt() {
    let last = -Infinity;
    for (let i = 0; i < this.total; i++) if (this.receivedAt[i] > last) last = this.receivedAt[i];
    return last;
  }

  /** Delivery counts of the accepted tasks: once, more than once, never; finished more than once. */
  counts() {
    let neverReceived = 0;
    let repeated = 0;
    let finishedTwice = 0;
    let refused = 0;
    for (let i = 0; i < this.total; i++) {
      if (this.refused[i]) {
        refused++;
        continue;
      }
      if (this.deliveries[i] === 0) neverReceived++;
      if (this.deliveries[i] > 1) repeated++;
      if (this.finishes[i] > 1) finishedTwice++;
    }
    return { receivedOnce: this.total - refused - neverReceived - repeated, repeated, neverReceived, finishedTwice, refused };
  }
}

// ---------------------------------------------------------------------------------------------
// Load shapes. Each takes a submit function; the system behind it is the caller's business.
// ---------------------------------------------------------------------------------------------

export interface BurstOptions {
  batch: number;
  /** At most this many tasks submitted but not finished. */
  inflight: number;
  timeoutMs?: number;
}

/**
 * Closed loop: batches of `batch`, one submit request at a time, never more than `inflight`
 * unfinished, so a task never waits for a free slot and the latency measures the dispatch path
 * rather than a backlog the bench itself made. Returns the seconds from the first submit to the
 * last finish.
 */
export async function runBurst(t: Tracker, opts: BurstOptions, submit: (seqs: number[]) => Promise<void>) {
  const t0 = performance.now();
  let submitted = 0;
  while (submitted < t.total) {
    while (submitted - t.done >= opts.inflight) await t.changed();
    const n = Math.min(opts.batch, t.total - submitted, opts.inflight - (submitted - t.done));
    const seqs = Array.from({ length: n }, (_, k) => submitted + k);
    const now = performance.now();
    for (const s of seqs) t.sentAt[s] = now;
    submitted += n;
    await submit(seqs);
  }
  const complete = await t.untilDone(t.total, opts.timeoutMs);
  if (!complete) t.problem(`burst: only ${t.done} of ${t.total} finished before the time-out`);
  return { elapsedS: (performance.now() - t0) / 1000, complete };
}

export interface PacedOptions {
  /** Requests (one task each) per second. */
  rate: number;
  durationS: number;
  /** How long to wait after the window for the last tasks to finish. */
  drainTimeoutMs?: number;
}

export interface PacedRun {
  /** Start of the schedule (performance.now()); task i is due at t0 + i/rate. */
  t0: number;
  windowS: number;
  sent: number;
  /** Requests handed to the client per second, first due time → last call. */
  offeredPerS: number;
  /** How late the sender called the client after a task's due time: the client's own lag. */
  senderLagP99: number;
  senderLagMax: number;
  /** Most submits not yet answered at once (those waiting in the client for a connection too). */
  maxInFlight: number;
  failedRequests: number;
  /** Submits the system refused on purpose (Refused, HTTP 503): not retried, not expected. */
  refused: number;
  /** Submits answered (taken or refused) inside the window, per second: the intake. */
  answeredPerS: number;
  /** Tasks that reached a handler inside the window, per second of the window. */
  sustainedPerS: number;
  /** All tasks that reached a handler, from t0 to the last one, per second. */
  overallPerS: number;
  /** From the end of the window to the last task reaching a handler. */
  tailS: number;
  complete: boolean;
  latency: LatencySummary;
}

/**
 * Open loop: task i is submitted at t0 + i/rate whatever happened to the earlier ones (the
 * schedule comes from the start time, so a slow answer does not slow the sender), each with its
 * own request, as many in flight as it takes. Latency runs from the due time, so a late sender
 * counts against the system; the sender's own lag is reported so that it can be ruled out.
 */
export async function runPaced(t: Tracker, opts: PacedOptions, submit: (seq: number) => Promise<void>): Promise<PacedRun> {
  const n = t.total;
  const interval = 1000 / opts.rate;
  const lags = new Float64Array(n);
  let inFlight = 0;
  let maxInFlight = 0;
  let failed = 0;
  let refused = 0;
  let answeredInWindow = 0;
  const requests: Promise<void>[] = [];
  const t0 = performance.now() + 20;
  const windowEnd = t0 + n * interval;
  const answered = () => void (performance.now() <= windowEnd && answeredInWindow++);
  let i = 0;
  let lastCall = t0;
  while (i < n) {
    const now = performance.now();
    const due = Math.min(n, Math.floor((now - t0) / interval) + 1);
    for (; i < due; i++) {
      const at = t0 + i * interval;
      t.sentAt[i] = at;
      lastCall = performance.now();
      lags[i] = lastCall - at;
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      const seq = i;
      requests.push(
        submit(seq).then(
          () => {
            inFlight--;
            answered();
          },
          (e: Error) => {
            inFlight--;
            answered();
            if (e instanceof Refused) {
              refused++;
              t.refuse(seq);
              return;
            }
            failed++;
            t.problem(`task ${seq}: submit failed: ${e.message}`);
          },
        ),
      );
    }
    if (i < n) {
      const wait = t0 + i * interval - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
  }
  const windowS = (n * interval) / 1000;
  await Promise.all(requests);
  const complete = await t.untilDone(n - failed - refused, opts.drainTimeoutMs ?? 120_000);
  if (!complete) t.problem(`paced: only ${t.done} of ${n} finished before the time-out`);
  const sortedLags = Array.from(lags).sort((a, b) => a - b);
  const last = t.lastReceivedAt();
  return {
    t0,
    windowS,
    sent: n,
    offeredPerS: n / ((lastCall - t0) / 1000 + interval / 1000),
    senderLagP99: percentile(sortedLags, 99),
    senderLagMax: sortedLags[n - 1],
    maxInFlight,
    failedRequests: failed,
    refused,
    answeredPerS: answeredInWindow / windowS,
    sustainedPerS: t.receivedBetween(t0, t0 + windowS * 1000) / windowS,
    overallPerS: Number.isFinite(last) ? t.receivedBetween(t0, last) / ((last - t0) / 1000) : 0,
    tailS: Number.isFinite(last) ? (last - (t0 + windowS * 1000)) / 1000 : NaN,
    complete,
    latency: summarize(t.latencies()),
  };
}

export function pacedLine(r: PacedRun) {
  return (
    `offered_per_s=${r.offeredPerS.toFixed(0)} sender_lag_p99_ms=${ms(r.senderLagP99)} sender_lag_max_ms=${ms(r.senderLagMax)} max_in_flight=${r.maxInFlight} ` +
    `failed_requests=${r.failedRequests} refused=${r.refused} answered_per_s=${r.answeredPerS.toFixed(0)} sustained_per_s=${r.sustainedPerS.toFixed(0)} overall_per_s=${r.overallPerS.toFixed(0)} tail_s=${r.tailS.toFixed(2)}`
  );
}

// ---------------------------------------------------------------------------------------------
// CPU: how busy each process was over a stretch, in % of one core (2 cores = 200 %).
// ---------------------------------------------------------------------------------------------

const TICK = 100; // USER_HZ on Linux

function procCpuMs(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICK; // utime + stime
  } catch {
    return NaN;
  }
}

/** Starts measuring; the returned function gives the % of one core each process used since. */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? procCpuMs(pid) : NaN]));
  return () => {
    const wall = performance.now() - t0;
    const self = process.cpuUsage(self0);
    const out: Record<string, number> = { bench: ((self.user + self.system) / 1000 / wall) * 100 };
    for (const [k, pid] of Object.entries(pids)) out[k] = pid ? ((procCpuMs(pid) - start[k]) / wall) * 100 : NaN;
    return out;
  };
}

export const cpuLine = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .map(([k, v]) => `cpu_${k}_pct=${v.toFixed(0)}`)
    .join(" ");

export function machineLine() {
  const cpus = os.cpus();
  return `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${new Date().toISOString()}`;
}

// ---------------------------------------------------------------------------------------------
// Switchboard: the real server, SDK agents, HTTP submits, the durability check.
// ---------------------------------------------------------------------------------------------

export interface SwitchboardOptions {
  agents: number;
  slots: number;
  tasks: number;
  /** Extra server environment (on top of the bench defaults). */
  env?: Record<string, string>;
  /** Keep-alive connections for one-task requests (postOne); requests beyond wait in the client. */
  connections?: number;
  /**
   * Replicas on PostgreSQL (env.DATABASE_URL): the first started leads, the others follow;
   * agents and submissions are spread over all of them, as a balancer would spread them.
   */
  replicas?: number;
}

export interface DurabilityReport {
  kill: "SIGKILL" | "SIGTERM";
  stored: number;
  durable: number;
  restartS: number;
}

/**
 * The check line both benches print: deliveries and finishes per task, and what was still
 * stored as succeeded after the kill.
 */
export function checkLine(t: Tracker, d: DurabilityReport) {
  const c = t.counts();
  return (
    `received_once=${c.receivedOnce} repushed=${c.repeated} never_received=${c.neverReceived} finished_twice=${c.finishedTwice} ` +
    `stored=${d.stored} durable_after_${d.kill.toLowerCase()}=${d.durable} restart_s=${d.restartS.toFixed(2)}` +
    (c.refused ? ` refused=${c.refused}` : "")
  );
}

/** Every accepted task reached a handler once, finished once and was found durable after the kill. */
export function checkOk(t: Tracker, d: DurabilityReport) {
  const c = t.counts();
  const expected = t.expected();
  return !c.neverReceived && !c.repeated && !c.finishedTwice && d.durable === expected && d.stored === expected;
}

export interface SwitchboardRig {
  server: ServerHandle;
  tracker: Tracker;
  /** One POST /api/v1/tasks with `{ tasks: [...] }`, through fetch. Throws unless 201. */
  post(body: unknown): Promise<void>;
  /** One POST /api/v1/tasks with a single task, through the bounded keep-alive pool. */
  postOne(body: unknown): Promise<void>;
  task(seq: number): Record<string, unknown>;
  /** Kills the server, closes the agents, restarts on the same directory and reads the file. */
  finish(): Promise<DurabilityReport>;
}

export async function startSwitchboard(opts: SwitchboardOptions): Promise<SwitchboardRig> {
  const server = await startServerProcess({
    env: { SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: process.env.SB_TRACE_CYCLES ? "debug" : "warn", ...opts.env },
    // SB_PROFILE=<dir> writes a CPU profile of the server there.
    nodeArgs: process.env.SB_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SB_PROFILE}`] : [],
  });
  const followers: ServerHandle[] = [];
  try {
    for (let i = 1; i < (opts.replicas ?? 1); i++) followers.push(await startServerProcess({ env: { SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: "warn", ...opts.env } }));
    const urls = [server.url, ...followers.map((f) => f.url)];
    let turn = 0;
    const nextUrl = () => urls[turn++ % urls.length];
    const token = await createToken(server, "bench");
    // Agent tokens do not submit: the bench submits as a script would, with a submit token.
    const submitToken = await createToken(server, "bench-submit", "submit");
    const t = new Tracker(opts.tasks);
    const seqOf = new Map<string, number>();
    let killed = false;
    const agents: Agent[] = await Promise.all(
      Array.from({ length: opts.agents }, (_, i) =>
        connectAgent({
          server: urls[i % urls.length],
          token,
          card: { name: `bench-${i}`, slots: opts.slots, capabilities: ["noop"] },
          // A warning here is an outcome the server did not take, or a task refused: a finding.
          // (Until the kill: then every agent warns that it lost the server.)
          logger: { info: () => {}, warn: (m) => void (!killed && t.problem(`bench-${i}: ${m}`)) },
          onTask: () => null,
        }),
      ),
    );
    for (const a of agents) {
      // "Receives" is the moment the assignment reaches the agent, before it accepts and runs it.
      a.on("taskAssigned", (task) => {
        const seq = (task.payload as { seq: number }).seq;
        t.received(seq, task.taskId);
        seqOf.set(task.taskId, seq);
      });
      a.on("taskFinished", (outcome) => {
        const seq = seqOf.get(outcome.taskId);
        if (seq === undefined || outcome.status !== "succeeded") t.problem(`task ${outcome.taskId} finished ${outcome.status}`);
        else t.finished(seq);
      });
    }
    const headers = { "content-type": "application/json", authorization: `Bearer ${submitToken}` };
    // Paced mode sends hundreds of requests a second. Global fetch (undici) opens a new
    // connection whenever all are busy, without a bound: against a saturated server that is
    // hundreds of new connections a second, which overflowed the server's accept queue (ss
    // showed ~1,000 client sockets with unsent requests the server never accepted, stuck for
    // minutes). So one-task requests go through node:http with a bounded keep-alive pool; a
    // request that finds every connection busy waits in the client, and since latency is taken
    // from its scheduled time, that wait counts against the server.
    const pool = new http.Agent({ keepAlive: true, maxSockets: opts.connections ?? 64 });
    const endpoints = urls.map((u) => new URL("/api/v1/tasks", u));
    const postOne = (body: unknown) =>
      new Promise<void>((resolve, reject) => {
        const data = JSON.stringify(body);
        const req = http.request(endpoints[turn++ % endpoints.length], { method: "POST", agent: pool, headers: { ...headers, "content-length": Buffer.byteLength(data) } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            // 503 UNAVAILABLE: the server sheds load (event-loop lag) or holds its maximum of unfinished tasks.
            if (res.statusCode === 503) reject(new Refused(`refused: 503 ${text.slice(0, 200)}`));
            else if (res.statusCode !== 201) reject(new Error(`submit failed: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve();
          });
        });
        req.setTimeout(60_000, () => req.destroy(new Error("no answer in 60 s")));
        req.on("error", reject);
        req.end(data);
      });
    return {
      server,
      tracker: t,
      task: (seq) => ({ title: `noop ${seq}`, payload: { seq }, requires: ["noop"], retry: { maxAttempts: 1, backoffMs: 0 } }),
      async post(body) {
        // Burst mode, one request at a time: global fetch (undici, keep-alive), as it always was.
        const r = await fetch(`${nextUrl()}/api/v1/tasks`, { method: "POST", headers, body: JSON.stringify(body) });
        if (r.status !== 201) throw new Error(`submit failed: ${r.status} ${await r.text()}`);
      },
      postOne,
      async finish() {
        // Completions are acknowledged only once durable: kill the server now, without warning
        // (SB_PROFILE stops it gracefully instead: a killed process writes no CPU profile).
        const kill = process.env.SB_PROFILE ? "SIGTERM" : "SIGKILL";
        killed = true;
        for (const f of followers) await f.stop(); // first: none may take over from the killed leader
        await server.stop(kill === "SIGKILL");
        pool.destroy();
        await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 500 })));
        const restartedAt = performance.now();
        const again = await server.restart();
        const restartS = (performance.now() - restartedAt) / 1000;
        // Read while the restarted server runs: its start has rebuilt state from this same store.
        const rows = await storedTasks(server, opts.env?.DATABASE_URL);
        await again.stop();
        const stored = new Map(rows.map((r) => [r.id, r]));
        let durable = 0;
        for (let seq = 0; seq < t.total; seq++) {
          if (t.refused[seq]) continue;
          const row = t.idOf[seq] ? stored.get(t.idOf[seq]!) : undefined;
          if (row && row.status === "succeeded" && row.finishedAt != null) durable++;
          else t.problem(`task ${seq} (${t.idOf[seq] ?? "never received"}) after the ${kill}: ${row ? `stored as ${row.status}` : "not stored"}`);
        }
        return { kill, stored: rows.length, durable, restartS };
      },
    };
  } catch (e) {
    for (const f of followers) await f.stop(true);
    await server.stop(true);
    throw e;
  }
}

/** Every stored task's status: from the SQLite file in the server's data directory, or from PostgreSQL when the server ran on it. */
async function storedTasks(server: ServerHandle, databaseUrl: string | undefined): Promise<{ id: string; status: string; finishedAt: unknown }[]> {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      return (await c.query(`SELECT "id", "status", "finishedAt" FROM "Task"`)).rows;
    } finally {
      await c.end();
    }
  }
  const db = new Database(path.join(server.dataDir, "switchboard.db"), { readonly: true, fileMustExist: true });
  const rows = db.prepare(`SELECT id, status, finishedAt FROM "Task"`).all() as { id: string; status: string; finishedAt: unknown }[];
  db.close();
  return rows;
}

/** With SB_TRACE_CYCLES: the number of batches the server wrote and their write times. */
export function traceCycles(server: ServerHandle) {
  // Other fields (messages=, acks=) may stand between agents= and writeMs=.
  const cycles = [...server.output().matchAll(/batch written tasks=(\d+) events=(\d+) agents=(\d+)[^\n]*? writeMs=([\d.]+)/g)].map((m) => m.slice(1).map(Number));
  const w = cycles.map((c) => c[3]).sort((a, b) => a - b);
  return `cycles=${cycles.length} write_p50_ms=${percentile(w, 50)} write_p95_ms=${percentile(w, 95)} tasks_per_cycle=${(cycles.reduce((n, c) => n + c[0], 0) / cycles.length).toFixed(1)}`;
}

/**
 * Paced mode submits one request per task, far above the default per-token (200/s) and
 * per-address (500/s) limits, from one token on 127.0.0.1: the bench raises both, as an
 * operator expecting such a producer would.
 */
export const PACED_SERVER_ENV = { SWITCHBOARD_RATE_LIMIT: "1000000/1000000", SWITCHBOARD_IP_RATE_LIMIT: "1000000/1000000" };

export interface ShapeResult {
  /** Burst: finished per second; paced: received per second inside the window. */
  perS: number;
  latency: LatencySummary;
  ok: boolean;
  paced?: PacedRun;
  elapsedS?: number;
  cpu: Record<string, number>;
  check: string;
  problems: string[];
}

export async function switchboardBurst(o: SwitchboardOptions & BurstOptions): Promise<ShapeResult & { rig: SwitchboardRig }> {
  const rig = await startSwitchboard(o);
  const t = rig.tracker;
  const cpu = cpuMeter({ server: rig.server.proc.pid });
  const { elapsedS } = await runBurst(t, o, (seqs) => rig.post({ tasks: seqs.map(rig.task) }));
  const used = cpu();
  const d = await rig.finish();
  return { rig, perS: t.done / elapsedS, elapsedS, latency: summarize(t.latencies()), ok: checkOk(t, d), cpu: used, check: checkLine(t, d), problems: t.problems };
}

export async function switchboardPaced(o: Omit<SwitchboardOptions, "tasks"> & PacedOptions): Promise<ShapeResult & { rig: SwitchboardRig }> {
  const rig = await startSwitchboard({ ...o, tasks: Math.round(o.rate * o.durationS), env: { ...PACED_SERVER_ENV, ...o.env } });
  const t = rig.tracker;
  const cpu = cpuMeter({ server: rig.server.proc.pid });
  const paced = await runPaced(t, o, (seq) => rig.postOne(rig.task(seq)));
  const used = cpu();
  const d = await rig.finish();
  return { rig, perS: paced.sustainedPerS, paced, latency: paced.latency, ok: checkOk(t, d) && paced.failedRequests === 0, cpu: used, check: checkLine(t, d), problems: t.problems };
}
