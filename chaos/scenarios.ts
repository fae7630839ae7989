// The five kinds of trouble. Each `chaos` function only breaks things until its deadline and
// records what it did (kills with the tasks the victim held, restarts, stall and lock windows,
// detection times); run.ts runs the load around it, lets the system settle, and judges.
import Database from "better-sqlite3";
import { holdExclusive, dbFile, type DbReader } from "./db";
import type { Fleet, Runner } from "./fleet";
import { Fuzzer, type FuzzTokens } from "./fuzz";
import type { ApiClient, Observer } from "./http";
import type { DetectionSample, Incident } from "./invariants";
import type { TaskLoad } from "./load";
import { detectOffline } from "./monitor";
import type { TcpProxy } from "./proxy";

export interface Ctx {
  short: boolean;
  durationMs: number;
  heartbeatMs: number;
  leaseMs: number;
  fleet: Fleet;
  proxy: TcpProxy;
  db: DbReader;
  read: ApiClient;
  observer: Observer;
  load: TaskLoad;
  fuzzTokens: FuzzTokens;
  seed: number;
  fuzzRate: number;
  rnd: () => number;
  log: (line: string) => void;
}

export type Detection = DetectionSample;

export interface ChaosRecord {
  incidents: Incident[];
  detections: Detection[];
  restarts: { killAt: number; spawnAt: number; listeningAt: number; samePort: boolean; port: number }[];
  /** Agents that must have kept their tasks over [from, to] (short stalls, network cuts). */
  keepWindows: { agentName: string; from: number; to: number }[];
  lockWindows: { from: number; to: number }[];
  /** When the server was down on purpose (probe failures then are expected). */
  downWindows: { from: number; to: number }[];
  notes: string[];
  violations: string[];
  /** Task ids the scenario canceled itself: `canceled` is then the right end (none of the five cancels today). */
  canceled: string[];
  fuzz?: Fuzzer;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const emptyRecord = (): ChaosRecord => ({ incidents: [], detections: [], restarts: [], keepWindows: [], lockWindows: [], downWindows: [], notes: [], violations: [], canceled: [] });

/** Waits until `at` (epoch ms) unless `deadline` comes first; returns false when it would pass the deadline. */
async function until(at: number, deadline: number) {
  if (at >= deadline) return false;
  await sleep(Math.max(0, at - Date.now()));
  return true;
}

/** The victim: a live runner holding work (a long task if possible), so the kill interrupts something. */
function pickVictim(ctx: Ctx, pool: Runner[]): { runner: Runner; agentId: string | null; held: { taskId: string; attempt: number }[] } | null {
  if (pool.length === 0) return null;
  const held = ctx.db.held();
  const ids = ctx.db.agentIds();
  const kindOf = (key: string | null) => (key ? ctx.load.submissions.get(key)?.kind : undefined);
  const scored = pool.map((r) => {
    const id = ids.get(r.name) ?? null;
    const mine = held.filter((h) => h.agentId === id);
    const score = mine.length + 2 * mine.filter((h) => kindOf(h.idempotencyKey) === "long").length;
    return { r, id, mine, score };
  });
  const best = Math.max(...scored.map((s) => s.score));
  const top = scored.filter((s) => s.score === best);
  const pick = top[Math.floor(ctx.rnd() * top.length)];
  return { runner: pick.r, agentId: pick.id, held: pick.mine.map((h) => ({ taskId: h.id, attempt: h.attempt })) };
}

/** 1. SIGKILL random runners (each replaced at once by a new runner with a new name). */
export async function agentKills(ctx: Ctx, deadline: number): Promise<ChaosRecord> {
  const rec = emptyRecord();
  const every = ctx.short ? 3_500 : 5_000;
  const detecting: Promise<void>[] = [];
  for (let at = Date.now() + 1_500; await until(at, deadline - 1_000); at += every) {
    const v = pickVictim(ctx, ctx.fleet.liveRunners().filter((r) => !r.stopped));
    if (!v || !v.agentId) continue;
    const killAt = Date.now();
    await ctx.fleet.killRunner(v.runner);
    rec.incidents.push({ at: killAt, agentId: v.agentId, agentName: v.runner.name, held: v.held });
    const replacement = ctx.fleet.startRunner(v.runner.viaProxy ? ctx.proxy.url : ctx.fleet.server.url, v.runner.viaProxy);
    ctx.log(`  kill ${v.runner.name} (held ${v.held.length}) → replaced by ${replacement.name}`);
    detecting.push(detectOffline(ctx.read, v.runner.name, killAt, 20_000).then((d) => void rec.detections.push({ what: `SIGKILL ${v.runner.name}`, ...d })));
  }
  await Promise.all(detecting);
  // A scenario that broke nothing would pass by accident.
  if (rec.incidents.length === 0) rec.violations.push("no runner was killed: no live runner was found to pick");
  return rec;
}

/**
 * 2. SIGKILL the control plane under load and start it again on the same data dir and port.
 * The last restart is done with another read-only connection open on the SQLite file (as a
 * `sqlite3` shell, a backup or a replication tool would have): the server must start anyway.
 */
export async function serverKills(ctx: Ctx, deadline: number): Promise<ChaosRecord> {
  const rec = emptyRecord();
  const start = Date.now();
  const span = deadline - start;
  const offsets = ctx.short ? [0.15, 0.45] : [0.1, 0.3, 0.5, 0.7];
  for (const f of offsets) {
    if (!(await until(start + f * span, deadline))) break;
    const killAt = Date.now();
    await ctx.fleet.killServer();
    const port = ctx.fleet.server.port;
    try {
      const r = await ctx.fleet.restartServer();
      rec.restarts.push({ killAt, ...r, port: ctx.fleet.server.port });
      rec.downWindows.push({ from: killAt, to: r.listeningAt });
      ctx.log(`  server killed and restarted: listening ${((r.listeningAt - r.spawnAt) / 1000).toFixed(2)} s after spawn${r.samePort ? "" : ` on another port (${ctx.fleet.server.port}, was ${port})`}`);
      if (!r.samePort) rec.violations.push(`restart moved the server from port ${port} to ${ctx.fleet.server.port}: agents cannot find it`);
    } catch (e) {
      rec.violations.push(`restart on port ${port} failed: ${(e as Error).message.split("\n").slice(0, 3).join(" | ")}`);
      throw e; // nothing else can run without a server
    }
  }
  if (await until(start + (ctx.short ? 0.7 : 0.85) * span, deadline)) await restartWithReader(ctx, rec);
  return rec;
}

async function restartWithReader(ctx: Ctx, rec: ChaosRecord) {
  const reader = new Database(dbFile(ctx.fleet.server.dataDir), { readonly: true, fileMustExist: true });
  reader.prepare(`SELECT COUNT(*) AS n FROM "Task"`).get(); // an open connection that has read the file
  const killAt = Date.now();
  await ctx.fleet.killServer();
  const t = Date.now();
  try {
    const r = await ctx.fleet.restartServer();
    rec.downWindows.push({ from: killAt, to: r.listeningAt });
    rec.notes.push(`restart with a read-only connection open on the database: started, listening after ${((r.listeningAt - r.spawnAt) / 1000).toFixed(2)} s`);
    reader.close();
  } catch (e) {
    const failedAfter = (Date.now() - t) / 1000;
    const why = (e as Error).message.split("\n").find((l) => /Error:/.test(l) && !/^Switchboard failed/.test(l)) ?? (e as Error).message.split("\n")[0];
    reader.close();
    const r = await ctx.fleet.restartServer(); // the same start, now that nobody else has the file open
    rec.downWindows.push({ from: killAt, to: r.listeningAt });
    rec.violations.push(
      `the server could not start while another (read-only) connection had the database open: it exited after ${failedAfter.toFixed(1)} s with "${why.trim().slice(0, 220)}"; ` +
        `with that connection closed it started in ${((r.listeningAt - r.spawnAt) / 1000).toFixed(2)} s`,
    );
  }
}

/** 3. Network cuts and partitions (proxy) under some agents; SIGSTOP stalls of others. */
export async function networkAndStalls(ctx: Ctx, deadline: number): Promise<ChaosRecord> {
  const rec = emptyRecord();
  const start = Date.now();
  // A short stall or freeze must stay within the lease even counting the heartbeat that was
  // due just before it began; a long stall goes 3 s past the lease.
  const shortMs = Math.max(300, Math.floor((ctx.leaseMs - ctx.heartbeatMs) * 0.6));
  const longMs = ctx.leaseMs + 3_000;

  const flaps = (async () => {
    let n = 0;
    while (Date.now() < deadline - 1_000) {
      await sleep(1_500 + ctx.rnd() * 2_000);
      if (Date.now() >= deadline - 1_000) break;
      const from = Date.now();
      if (n++ % 3 === 2) {
        ctx.proxy.freeze(shortMs);
        await sleep(shortMs);
      } else {
        ctx.proxy.cutAll();
      }
      for (const r of ctx.fleet.liveRunners().filter((x) => x.viaProxy)) rec.keepWindows.push({ agentName: r.name, from, to: Date.now() + ctx.heartbeatMs });
    }
    rec.notes.push(`proxy: ${ctx.proxy.counters.cut} connections cut, ${n} flaps`);
  })();

  const stalls = (async () => {
    const plan = ctx.short
      ? [
          { at: 0.05, long: true },
          { at: 0.25, long: false },
          { at: 0.5, long: true },
          { at: 0.75, long: false },
        ]
      : Array.from({ length: 10 }, (_, i) => ({ at: 0.02 + i * 0.09, long: i % 2 === 0 }));
    const running: Promise<void>[] = [];
    for (const step of plan) {
      if (!(await until(start + step.at * (deadline - start), deadline - 500))) break;
      const ms = step.long ? longMs : shortMs;
      const v = pickVictim(ctx, ctx.fleet.liveRunners().filter((r) => !r.viaProxy && !r.stopped));
      if (!v || !v.agentId) continue;
      const at = Date.now();
      ctx.fleet.stall(v.runner);
      ctx.log(`  SIGSTOP ${v.runner.name} for ${(ms / 1000).toFixed(1)} s (held ${v.held.length})`);
      running.push(
        (async () => {
          const detection = step.long ? detectOffline(ctx.read, v.runner.name, at, ms) : null;
          await sleep(ms);
          ctx.fleet.resume(v.runner);
          if (step.long) {
            rec.incidents.push({ at, agentId: v.agentId!, agentName: v.runner.name, held: v.held });
            rec.detections.push({ what: `SIGSTOP ${v.runner.name} ${(ms / 1000).toFixed(1)} s`, ...(await detection!) });
          } else {
            rec.keepWindows.push({ agentName: v.runner.name, from: at, to: Date.now() + ctx.heartbeatMs });
          }
        })(),
      );
    }
    await Promise.all(running);
  })();

  await Promise.all([flaps, stalls]);
  if (!rec.incidents.length) rec.violations.push("no runner was stalled past its lease: no live runner was found to pick");
  return rec;
}

/** 4. Another process holds SQLite's write lock for 3 s, a few times. */
export async function dbLocks(ctx: Ctx, deadline: number): Promise<ChaosRecord> {
  const rec = emptyRecord();
  const every = ctx.short ? 5_000 : 7_000;
  for (let at = Date.now() + 1_000; await until(at, deadline - 3_000); at += every) {
    try {
      const w = await holdExclusive(dbFile(ctx.fleet.server.dataDir), 3_000);
      rec.lockWindows.push({ from: w.acquiredAt, to: w.releasedAt });
      ctx.log(`  held BEGIN EXCLUSIVE for ${((w.releasedAt - w.acquiredAt) / 1000).toFixed(1)} s`);
    } catch (e) {
      rec.notes.push(`could not take the lock: ${(e as Error).message}`);
    }
  }
  if (!rec.lockWindows.length) rec.violations.push("the database was never locked: nothing was tested");
  return rec;
}

/** 5. A flood of malformed and hostile requests (fuzz.ts) alongside the real work. */
export async function hostileFlood(ctx: Ctx, deadline: number): Promise<ChaosRecord> {
  const rec = emptyRecord();
  let ids = ctx.db.ids();
  const refresh = setInterval(() => {
    try {
      ids = ctx.db.ids();
    } catch {
      /* keep the last ones */
    }
  }, 2_000);
  const fuzz = new Fuzzer({
    port: () => ctx.fleet.server.port,
    url: () => ctx.fleet.server.url,
    tokens: ctx.fuzzTokens,
    ids: () => ids,
    observer: ctx.observer,
    seed: ctx.seed,
    ratePerSec: ctx.fuzzRate,
    concurrency: 12,
    socketWorkers: 2,
  });
  rec.fuzz = fuzz;
  fuzz.start();
  await sleep(Math.max(0, deadline - Date.now()));
  await fuzz.stop();
  clearInterval(refresh);
  const s = fuzz.stats;
  rec.notes.push(
    `fuzz seed=${ctx.seed}: ${s.sent} requests by status ${Object.entries(s.byStatus)
      .sort()
      .map(([k, v]) => `${k}:${v}`)
      .join(" ")}; ${s.sockets} sockets, ${s.socketEvents} socket events (${s.socketNoAnswer} known events on a live socket unanswered in 3 s)`,
  );
  for (const n of s.noAnswer) rec.notes.push(`fuzz: no HTTP answer to ${n}`);
  if (s.sent === 0) rec.violations.push("the fuzzer sent no request");
  return rec;
}

export const SCENARIOS = [
  { id: 1, name: "agent-kill", chaos: agentKills },
  { id: 2, name: "server-kill", chaos: serverKills },
  { id: 3, name: "network-flap-and-stall", chaos: networkAndStalls },
  { id: 4, name: "db-locked", chaos: dbLocks },
  { id: 5, name: "hostile-flood", chaos: hostileFlood },
] as const;
