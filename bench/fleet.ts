// npm run bench:fleet -- [--agents 2000] [--procs 8] [--rate 100] [--seconds 30] [--idle-seconds 10] [--profile DIR]
//
// A fleet of N agents on the real server. The server runs with its own temp data directory,
// heartbeats every 5 s and a 15 s lease (SWITCHBOARD_HEARTBEAT_MS / SWITCHBOARD_LEASE_TTL_MS),
// the per-token and per-address rate limits raised (one bench token submits everything). The
// agents are light SDK agents in --procs child processes (bench/fleet-child.ts, run with
// `node --import tsx`), so the load generator is not in the server's process: fleet-<n>, 1–2
// slots, capability `fleet`, label `agent=fleet-<n>`, a no-op handler, heartbeats at the
// server's interval with a resource sample. Phases:
//   1. connect: all N register (the children say so) and GET /api/v1/stats counts them online;
//   2. idle: --idle-seconds of heartbeats only — the server's CPU and RSS for the fleet alone;
//   3. load: --rate tasks/s for --seconds, one POST per task, open loop (on a schedule from the
//      start), each for one named agent (labels: { agent: "fleet-<n>" }, requires `fleet`), the
//      agents picked spread over the fleet. Latency = the request sent → the agent's
//      `taskAssigned`, both on the wall clock (performance.timeOrigin + now()), corrected by each
//      child's clock offset measured over IPC before the run. Server CPU (utime+stime from
//      /proc/<pid>/stat) over the window, RSS (VmRSS) sampled every second;
//   4. restart: SIGTERM, the server started again on the same data dir and port; time from the
//      SIGTERM until every agent has registered again (the SDK reconnects by itself: Socket.IO
//      backoff 300 ms doubling to 5 s) and the stats count all online; then a few tasks check
//      that dispatch works on the restarted server.
// --profile DIR: the server runs with --inspect=127.0.0.1:0 and a CPU profile is taken per
// phase over the inspector (bench/fleet-profile.ts), written to DIR/<phase>.cpuprofile and
// summarised. Profiled figures are not the measurement: run without --profile for those.
// Ends with `RESULT bench=fleet agents=… dispatch_p50_ms=… dispatch_p95_ms=… dispatch_p99_ms=…
// target_p95_ms=20 reconnect_s=… target_reconnect_s=15 server_cpu_pct=… rss_mb=… target_rss_mb=500`.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { machineLine, percentile } from "./dispatch-rig";
import { inspectorUrl, openProfiler, summarize, writeProfile, type ProfilerSession } from "./fleet-profile";

const { values } = parseArgs({
  options: {
    agents: { type: "string", default: "2000" },
    procs: { type: "string", default: "8" },
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "30" },
    "idle-seconds": { type: "string", default: "10" },
    /** Registrations in flight per child process while the fleet connects. */
    "connect-concurrency": { type: "string", default: "25" },
    connections: { type: "string", default: "32" },
    profile: { type: "string" },
  },
});
const N = Number(values.agents);
const PROCS = Math.min(Number(values.procs), N);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const IDLE_S = Number(values["idle-seconds"]);
const PROFILE_DIR = values.profile;
const TARGET_P95_MS = 20;
const TARGET_RECONNECT_S = 15;
const TARGET_RSS_MB = 500;
const HEARTBEAT_MS = 5000;
const LEASE_TTL_MS = 15000;
if (!(N > 0 && PROCS > 0 && RATE > 0 && SECONDS > 0)) throw new Error("--agents, --procs, --rate and --seconds must be positive numbers");

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "NaN");

// ---- /proc sampling ------------------------------------------------------------------------

function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return NaN;
  }
}
function rssMbOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU (% of one core) of the server, the children and this process over a stretch, and the server's RSS each second. */
function meter(server: () => number | undefined, children: ChildProcess[]) {
  const t0 = performance.now();
  const s0 = cpuMsOf(server());
  const c0 = children.map((c) => cpuMsOf(c.pid));
  const self0 = process.cpuUsage();
  const rss: number[] = [rssMbOf(server())];
  const perSecond: number[] = [];
  let lastCpu = s0;
  let lastAt = t0;
  const timer = setInterval(() => {
    rss.push(rssMbOf(server()));
    const cpu = cpuMsOf(server());
    const at = performance.now();
    perSecond.push((100 * (cpu - lastCpu)) / (at - lastAt));
    lastCpu = cpu;
    lastAt = at;
  }, 1000);
  return () => {
    clearInterval(timer);
    const end = performance.now();
    if (end - lastAt > 200) perSecond.push((100 * (cpuMsOf(server()) - lastCpu)) / (end - lastAt));
    const wall = end - t0;
    rss.push(rssMbOf(server()));
    const self = process.cpuUsage(self0);
    return {
      serverPct: (100 * (cpuMsOf(server()) - s0)) / wall,
      serverMaxSecondPct: perSecond.length ? Math.max(...perSecond) : NaN,
      childrenPct: (100 * children.reduce((n, c, i) => n + (cpuMsOf(c.pid) - c0[i]), 0)) / wall,
      benchPct: (100 * ((self.user + self.system) / 1000)) / wall,
      rssMaxMb: Math.max(...rss.filter(Number.isFinite)),
      rssEndMb: rss[rss.length - 1],
    };
  };
}
type Meter = ReturnType<ReturnType<typeof meter>>;
const meterLine = (m: Meter) =>
  `server_cpu_pct=${f1(m.serverPct)} (max 1 s: ${f1(m.serverMaxSecondPct)}) agents_cpu_pct=${f1(m.childrenPct)} bench_cpu_pct=${f1(m.benchPct)} server_rss_max_mb=${m.rssMaxMb.toFixed(0)} end_mb=${m.rssEndMb.toFixed(0)}`;

// ---- HTTP --------------------------------------------------------------------------------------

async function getJson<T>(server: ServerHandle, token: string, p: string): Promise<T> {
  const r = await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}
type Stats = { agents: { total: number; online: number; busy: number; draining: number; offline: number } };
const connectedOf = (s: Stats) => s.agents.online + s.agents.busy + s.agents.draining;

/** Waits until the server counts at least `n` agents connected; resolves with the time it saw it (wall clock). */
async function untilOnline(server: ServerHandle, token: string, n: number, timeoutMs: number): Promise<{ at: number; seen: number }> {
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    try {
      seen = connectedOf(await getJson<Stats>(server, token, "/api/v1/stats"));
      if (seen >= n) return { at: nowMs(), seen };
    } catch {
      // The server is not up yet (restart): keep polling.
    }
    if (performance.now() > deadline) return { at: NaN, seen };
    await sleep(100);
  }
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
  console.log(machineLine());
  const children: ChildProcess[] = [];
  const killChildren = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  };
  process.on("exit", killChildren);
  const nodeArgs = PROFILE_DIR ? ["--inspect=127.0.0.1:0"] : [];
  let server = await startServerProcess({
    env: {
      SWITCHBOARD_LOG_LEVEL: "warn",
      SWITCHBOARD_HEARTBEAT_MS: String(HEARTBEAT_MS),
      SWITCHBOARD_LEASE_TTL_MS: String(LEASE_TTL_MS),
      // One bench token submits everything, and 2,000 agents share one address and one token.
      SWITCHBOARD_RATE_LIMIT: "1000000/1000000",
      SWITCHBOARD_IP_RATE_LIMIT: "1000000/1000000",
    },
    nodeArgs,
  });
  const dataDir = server.dataDir;
  let profiler: ProfilerSession | null = null;
  const profiles: string[] = [];
  const openInspector = async (s: ServerHandle) => {
    if (!PROFILE_DIR) return;
    const url = inspectorUrl(s.output());
    if (!url) throw new Error(`--profile: no inspector address in the server's output`);
    profiler = await openProfiler(url);
  };
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    if (!profiler) return fn();
    await profiler.start();
    try {
      return await fn();
    } finally {
      const p = await profiler.stop();
      const file = writeProfile(PROFILE_DIR!, name, p);
      profiles.push(`== profile ${name} (${file})\n${summarize(p).text}`);
    }
  };

  try {
    await openInspector(server);
    const agentToken = await createToken(server, "fleet-agents");
    const submitToken = await createToken(server, "fleet-submit", "submit");
    const readToken = await createToken(server, "fleet-read", "read");

    // Per-agent and per-task bookkeeping, fed by the children.
    const registeredAt = new Float64Array(N).fill(NaN); // the latest registration of each agent (wall clock, parent's)
    const TASKS = Math.round(RATE * SECONDS);
    const CHECK_TASKS = 50;
    const total = TASKS + CHECK_TASKS;
    const sentAt = new Float64Array(total).fill(NaN);
    const answeredAt = new Float64Array(total).fill(NaN);
    const receivedAt = new Float64Array(total).fill(NaN);
    const targetOf = new Int32Array(total).fill(-1);
    const deliveries = new Uint16Array(total);
    let finishedOk = 0;
    let finishedOther = 0;
    let received = 0;
    let misdelivered = 0;
    let restarting = false;
    const warnings: string[] = [];
    const offsets: number[] = new Array(PROCS).fill(0);
    const ready: boolean[] = new Array(PROCS).fill(false);
    const pongs = new Map<number, (m: { sent: number; at: number }) => void>();

    const per = Math.ceil(N / PROCS);
    const childScript = path.join(import.meta.dirname, "fleet-child.ts");
    const tConnect = nowMs();
    for (let p = 0; p < PROCS; p++) {
      const from = p * per;
      const count = Math.min(per, N - from);
      if (count <= 0) break;
      // `node --import tsx`: the child is TypeScript; fork gives it the IPC channel.
      const c = fork(childScript, [server.url, agentToken, String(from), String(count), values["connect-concurrency"]!], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      children.push(c);
      c.on("message", (batch: { t: string; [k: string]: unknown }[]) => {
        for (const m of batch) {
          switch (m.t) {
            case "registered":
              registeredAt[m.n as number] = (m.at as number) - offsets[p];
              break;
            case "assigned": {
              const seq = m.seq as number;
              if (deliveries[seq]++ === 0) {
                receivedAt[seq] = (m.at as number) - offsets[p];
                if (m.n !== targetOf[seq]) misdelivered++;
                received++;
              }
              break;
            }
            case "finished":
              if (m.ok) finishedOk++;
              else finishedOther++;
              break;
            case "ready":
              ready[p] = true;
              break;
            case "pong":
              pongs.get(p)?.(m as unknown as { sent: number; at: number });
              break;
            case "warn":
              // After the SIGTERM every agent warns that it lost the server: expected, not kept.
              if (!restarting && warnings.length < 20) warnings.push(`fleet-${m.n}: ${m.message}`);
              break;
            case "error":
              console.error(`agent process ${p}: ${m.message}`);
              break;
          }
        }
      });
      c.on("exit", (code, signal) => {
        if (!stopping) console.error(`agent process ${p} (pid ${c.pid}) exited early: ${code ?? signal}`);
      });
    }

    // 1. Connect.
    await phase("connect", async () => {
      const deadline = performance.now() + 600_000;
      while (!ready.every(Boolean)) {
        if (performance.now() > deadline) throw new Error("the fleet did not connect in 10 min");
        if (children.some((c) => c.exitCode !== null)) throw new Error("an agent process exited while connecting");
        await sleep(100);
      }
    });
    const allRegisteredS = (Math.max(...registeredAt) - tConnect) / 1000;
    const online = await untilOnline(server, readToken, N, 60_000);
    if (!Number.isFinite(online.at)) throw new Error(`only ${online.seen} of ${N} agents online`);
    console.log(`connect: ${N} agents in ${PROCS} processes registered in ${allRegisteredS.toFixed(1)} s; the server counts ${online.seen} online after ${((online.at - tConnect) / 1000).toFixed(1)} s`);

    // Clock offsets child − parent (min-RTT ping of 5), applied to every time a child reports.
    let worstRtt = 0;
    for (let p = 0; p < children.length; p++) {
      let best = { rtt: Infinity, offset: 0 };
      for (let k = 0; k < 5; k++) {
        const sent = nowMs();
        const pong = await new Promise<{ sent: number; at: number }>((resolve) => {
          pongs.set(p, resolve);
          children[p].send({ t: "ping", sent });
        });
        const back = nowMs();
        if (back - sent < best.rtt) best = { rtt: back - sent, offset: pong.at - (sent + back) / 2 };
      }
      offsets[p] = best.offset;
      worstRtt = Math.max(worstRtt, best.rtt);
    }
    console.log(`clocks: child − parent offsets ${offsets.map((o) => o.toFixed(2)).join(" ")} ms (IPC round trip ≤ ${worstRtt.toFixed(2)} ms)`);

    // 2. Idle: heartbeats only.
    const idle = await phase("idle", async () => {
      const m = meter(() => server.proc.pid, children);
      await sleep(IDLE_S * 1000);
      return m();
    });
    console.log(`idle (${IDLE_S} s, heartbeats only, ${((N * 1000) / HEARTBEAT_MS).toFixed(0)}/s expected): ${meterLine(idle)}`);

    // 3. Load: RATE tasks/s for SECONDS, each for one named agent.
    let pool = new http.Agent({ keepAlive: true, maxSockets: Number(values.connections) });
    let failed = 0;
    const statuses: Record<string, number> = {};
    const submit = (srv: ServerHandle, seq: number, target: number) => {
      targetOf[seq] = target;
      const body = JSON.stringify({
        title: `fleet ${seq}`,
        payload: { seq },
        requires: ["fleet"],
        labels: { agent: `fleet-${target}` },
        retry: { maxAttempts: 1, backoffMs: 0 },
      });
      return new Promise<void>((resolve) => {
        sentAt[seq] = nowMs();
        const req = http.request(
          new URL("/api/v1/tasks", srv.url),
          { method: "POST", agent: pool, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${submitToken}` } },
          (res) => {
            res.resume();
            res.on("end", () => {
              answeredAt[seq] = nowMs();
              statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
              if (res.statusCode !== 201) failed++;
              resolve();
            });
          },
        );
        req.setTimeout(60_000, () => req.destroy(new Error("no answer in 60 s")));
        req.on("error", () => {
          failed++;
          statuses["0"] = (statuses["0"] ?? 0) + 1;
          resolve();
        });
        req.end(body);
      });
    };
    // Agents spread over the fleet: consecutive tasks go to agents far apart (every process).
    const stride = [7919, 104729, 1299709].find((s) => N % s !== 0) ?? 1;
    const load = await phase("load", async () => {
      const m = meter(() => server.proc.pid, children);
      const interval = 1000 / RATE;
      const t0 = performance.now() + 20;
      const lags: number[] = [];
      const requests: Promise<void>[] = [];
      let i = 0;
      while (i < TASKS) {
        const due = Math.min(TASKS, Math.floor((performance.now() - t0) / interval) + 1);
        for (; i < due; i++) {
          lags.push(performance.now() - (t0 + i * interval));
          requests.push(submit(server, i, (i * stride) % N));
        }
        if (i < TASKS) await sleep(Math.max(0, t0 + i * interval - performance.now()));
      }
      const used = m();
      await Promise.all(requests);
      const drainDeadline = performance.now() + 30_000;
      while (received < TASKS - failed && performance.now() < drainDeadline) await sleep(50);
      lags.sort((a, b) => a - b);
      return { used, senderLagP99: percentile(lags, 99) };
    });
    pool.destroy();
    pool = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const lat: number[] = [];
    const answers: number[] = [];
    let repeated = 0;
    for (let s = 0; s < TASKS; s++) {
      if (Number.isFinite(receivedAt[s])) lat.push(receivedAt[s] - sentAt[s]);
      if (Number.isFinite(answeredAt[s])) answers.push(answeredAt[s] - sentAt[s]);
      if (deliveries[s] > 1) repeated++;
    }
    lat.sort((a, b) => a - b);
    answers.sort((a, b) => a - b);
    const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q) : NaN);
    console.log(
      `load: ${TASKS} tasks at ${RATE}/s for ${SECONDS} s (sender lag p99 ${f1(load.senderLagP99)} ms), statuses ${JSON.stringify(statuses)}, reached an agent ${received - (deliveries.slice(TASKS).filter((d) => d > 0).length)} of ${TASKS} (${misdelivered} to another agent than named), repeated ${repeated}, finished ok ${finishedOk}${finishedOther ? ` other ${finishedOther}` : ""}`,
    );
    console.log(`  submit → taskAssigned: p50 ${f1(p(lat, 50))} ms, p95 ${f1(p(lat, 95))} ms, p99 ${f1(p(lat, 99))} ms, max ${f1(lat[lat.length - 1])} ms; submit → 201: p50 ${f1(p(answers, 50))} ms, p99 ${f1(p(answers, 99))} ms`);
    console.log(`  ${meterLine(load.used)}`);

    // 4. Restart: SIGTERM, start again on the same directory and port, wait for every agent.
    if (profiler) (profiler as ProfilerSession).close();
    profiler = null;
    restarting = true;
    const tKill = nowMs();
    await server.stop();
    const stopS = (nowMs() - tKill) / 1000;
    // The server logs how long each shutdown step took (server/app.ts close()).
    for (const l of server.output().split("\n").filter((l) => /slow shutdown step|\bstopped\b.*ms=/.test(l))) console.log(`shutdown: ${l.trim()}`);
    server = await server.restart();
    const listeningS = (nowMs() - tKill) / 1000;
    await openInspector(server);
    const back = await phase("reconnect", async () => {
      const m = meter(() => server.proc.pid, children);
      const deadline = performance.now() + 120_000;
      let all = NaN;
      while (performance.now() < deadline) {
        let n = 0;
        let last = 0;
        for (let k = 0; k < N; k++)
          if (registeredAt[k] > tKill) {
            n++;
            if (registeredAt[k] > last) last = registeredAt[k];
          }
        if (n === N) {
          all = last;
          break;
        }
        await sleep(100);
      }
      const seen = await untilOnline(server, readToken, N, 30_000);
      return { all, seen, used: m() };
    });
    const reconnectS = (back.all - tKill) / 1000;
    const counted = (back.seen.at - tKill) / 1000;
    console.log(
      `restart: SIGTERM → exited ${stopS.toFixed(2)} s, → listening again on port ${server.port} ${listeningS.toFixed(2)} s, → all ${N} re-registered ${f1(reconnectS)} s, → the server counts ${back.seen.seen} online ${f1(counted)} s; during: ${meterLine(back.used)}`,
    );

    // A few tasks on the restarted server: dispatch works there too.
    const checks: Promise<void>[] = [];
    for (let k = 0; k < CHECK_TASKS; k++) checks.push(submit(server, TASKS + k, (k * stride + 1) % N));
    await Promise.all(checks);
    const checkDeadline = performance.now() + 15_000;
    const checkReceived = () => deliveries.slice(TASKS).filter((d) => d > 0).length;
    while (checkReceived() < CHECK_TASKS && performance.now() < checkDeadline) await sleep(50);
    pool.destroy();
    console.log(`after the restart: ${checkReceived()} of ${CHECK_TASKS} check tasks reached their agent`);
    if (warnings.length) console.log(`agent warnings (first ${warnings.length}):\n  ${warnings.join("\n  ")}`);
    for (const text of profiles) console.log(text);

    const rss = Math.max(idle.rssMaxMb, load.used.rssMaxMb);
    const ok = received - checkReceived() === TASKS && checkReceived() === CHECK_TASKS && failed === 0 && misdelivered === 0;
    if (!ok) {
      console.error(`FAILED: every task must reach its agent (${received - checkReceived()} of ${TASKS}, ${checkReceived()} of ${CHECK_TASKS} after the restart, ${failed} submits failed)`);
      process.exitCode = 1;
    }
    console.log(
      `RESULT bench=fleet agents=${N} procs=${children.length} rate=${RATE} seconds=${SECONDS} dispatch_p50_ms=${f1(p(lat, 50))} dispatch_p95_ms=${f1(p(lat, 95))} dispatch_p99_ms=${f1(p(lat, 99))} target_p95_ms=${TARGET_P95_MS} ` +
        `reconnect_s=${f1(reconnectS)} target_reconnect_s=${TARGET_RECONNECT_S} server_cpu_pct=${f1(load.used.serverPct)} idle_cpu_pct=${f1(idle.serverPct)} rss_mb=${rss.toFixed(0)} target_rss_mb=${TARGET_RSS_MB} refused=${statuses["503"] ?? 0} failed=${failed - (statuses["503"] ?? 0)}` +
        `${PROFILE_DIR ? " profiled=yes" : ""}`,
    );
  } finally {
    stopping = true;
    // Stop the agents (by their processes), then the server; remove the data directory.
    for (const c of children) if (c.connected) c.send({ t: "close" });
    const deadline = performance.now() + 5_000;
    while (children.some((c) => c.exitCode === null && c.signalCode === null) && performance.now() < deadline) await sleep(50);
    killChildren();
    if (profiler) (profiler as ProfilerSession).close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
let stopping = false;

main()
  .then(() => process.exit())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
