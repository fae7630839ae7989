// The BullMQ side of bench:peer: a real redis-server (its own temp dir, 127.0.0.1, a free port,
// AOF on), a Queue to add with and Workers in this process, driven by the same shapes and the
// same Tracker as Switchboard (bench/dispatch-rig.ts), and the same durability check: SIGKILL
// redis the moment the last completion is acknowledged, start it again on the same directory,
// and every job must be in the completed set.
//
// Durability, honestly: redis runs with `--appendonly yes --appendfsync everysec --save ""`.
// Redis appends each write to the AOF with write(2) before it answers the command, and fsyncs
// the file once a second in the background: an acknowledged job survives the redis process
// dying (SIGKILL, crash), but an OS crash or power cut can lose up to about a second (up to
// two, when fsync falls behind) of acknowledged writes. Switchboard's SQLite runs in WAL mode
// with synchronous=NORMAL and acknowledges only after the commit: the same kind of promise —
// safe against the process dying, a power cut may lose the last commits since the WAL was last
// synced (at checkpoints). Neither side fsyncs per acknowledgement.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Queue, RedisConnection, Worker, createIORedisClient } from "bullmq";
import { Tracker, cpuMeter, runBurst, runPaced, summarize, type BurstOptions, type DurabilityReport, type PacedOptions, type ShapeResult, checkLine, checkOk } from "./dispatch-rig";

export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
export const REDIS_DURABILITY = "redis AOF appendfsync=everysec (written before each reply, fsync once a second: survives a process kill, a power cut may lose ~1 s)";

/**
 * BullMQ 6 declares ioredis as an optional peer dependency and loads it only through `require`
 * (so not from ESM): it is installed as a devDependency and handed to BullMQ through
 * `RedisConnection.clientFactory`, the hook BullMQ documents for choosing the driver.
 */
export function chooseRedisDriver(): string {
  const require = createRequire(import.meta.url);
  const mod = require("ioredis") as { default?: unknown };
  const IORedis = (mod.default ?? mod) as new (opts: unknown) => Parameters<typeof createIORedisClient>[0];
  RedisConnection.clientFactory = (opts) => createIORedisClient(new IORedis(opts));
  return `ioredis ${(require("ioredis/package.json") as { version: string }).version}`;
}

async function freePort() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) if (p.pid) process.kill(p.pid, "SIGKILL");
});

export interface RedisHandle {
  port: number;
  dir: string;
  proc: ChildProcess;
  /** SIGTERM (SIGKILL with `hard`) by PID, and wait for the exit. */
  stop(hard?: boolean): Promise<void>;
  /** Same directory and port, new process. */
  restart(): Promise<RedisHandle>;
}

export async function startRedis(dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-redis-")), port?: number): Promise<RedisHandle> {
  port ??= await freePort();
  const args = ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no", "--loglevel", "warning"];
  const proc = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  // Ready when it answers: connect until it does (it loads the AOF first on a restart).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${out}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => s.write("PING\r\n"));
      s.once("data", (d) => (s.destroy(), resolve(d.toString().startsWith("+PONG"))));
      s.once("error", () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      process.kill(proc.pid!, "SIGKILL");
      throw new Error(`redis-server did not answer in 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    dir,
    proc,
    async stop(hard = false) {
      if (proc.exitCode === null && proc.signalCode === null) {
        process.kill(proc.pid!, hard ? "SIGKILL" : "SIGTERM");
        await exited;
      }
      live.delete(proc);
    },
    restart: () => startRedis(dir, port),
  };
}

export interface BullmqOptions {
  /** Workers in this process, each with its own connections… */
  workers: number;
  /** …and this many jobs at once each. */
  concurrency: number;
  tasks: number;
}

export interface BullmqRig {
  redis: RedisHandle;
  queue: Queue;
  tracker: Tracker;
  data(seq: number): { seq: number };
  finish(): Promise<DurabilityReport>;
}

const JOB = "noop";

export async function startBullmq(o: BullmqOptions): Promise<BullmqRig> {
  const redis = await startRedis();
  const connection = { host: "127.0.0.1", port: redis.port };
  const name = "bench";
  const t = new Tracker(o.tasks);
  let killed = false;
  // Defaults otherwise (attempts 1, completed jobs kept — Switchboard keeps its task rows too).
  const queue = new Queue(name, { connection });
  const workers = Array.from({ length: o.workers }, () => {
    const w = new Worker(
      name,
      async (job) => {
        t.received((job.data as { seq: number }).seq, String(job.id));
        return null;
      },
      { connection, concurrency: o.concurrency },
    );
    w.on("completed", (job) => t.finished((job.data as { seq: number }).seq));
    w.on("failed", (job, err) => t.problem(`job ${job?.id} failed: ${err.message}`));
    w.on("error", (err) => void (!killed && t.problem(`worker error: ${err.message}`)));
    return w;
  });
  queue.on("error", (err) => void (!killed && t.problem(`queue error: ${err.message}`)));
  try {
    await queue.waitUntilReady();
    await Promise.all(workers.map((w) => w.waitUntilReady()));
  } catch (e) {
    await redis.stop(true);
    throw e;
  }
  const quietly = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
  return {
    redis,
    queue,
    tracker: t,
    data: (seq) => ({ seq }),
    async finish() {
      // The last completion is acknowledged: kill redis now, without warning.
      killed = true;
      await redis.stop(true);
      await quietly(Promise.all([...workers.map((w) => w.close(true)), queue.close()]));
      const restartedAt = performance.now();
      const again = await redis.restart();
      const restartS = (performance.now() - restartedAt) / 1000;
      const require = createRequire(import.meta.url);
      const IORedis = require("ioredis") as new (opts: { host: string; port: number; lazyConnect: boolean; maxRetriesPerRequest: number }) => {
        on(e: "error", f: (e: Error) => void): void;
        connect(): Promise<void>;
        zrange(key: string, start: number, stop: number): Promise<string[]>;
        zcard(key: string): Promise<number>;
        quit(): Promise<unknown>;
      };
      const c = new IORedis({ host: "127.0.0.1", port: again.port, lazyConnect: true, maxRetriesPerRequest: 3 });
      c.on("error", (e: Error) => t.problem(`reading the restarted redis: ${e.message}`));
      try {
        await c.connect();
        const completed = new Set(await c.zrange(`bull:${name}:completed`, 0, -1));
        const failed = await c.zcard(`bull:${name}:failed`);
        if (failed) t.problem(`${failed} jobs stored as failed`);
        let durable = 0;
        for (let seq = 0; seq < t.total; seq++) {
          if (t.refused[seq]) continue;
          if (t.idOf[seq] && completed.has(t.idOf[seq]!)) durable++;
          else t.problem(`job ${seq} (${t.idOf[seq] ?? "never received"}) after the SIGKILL: not in the completed set`);
        }
        return { kill: "SIGKILL", stored: completed.size + failed, durable, restartS };
      } finally {
        await c.quit();
        await again.stop();
        fs.rmSync(redis.dir, { recursive: true, force: true });
      }
    },
  };
}

export async function bullmqBurst(o: BullmqOptions & BurstOptions): Promise<ShapeResult> {
  const rig = await startBullmq(o);
  const t = rig.tracker;
  const cpu = cpuMeter({ redis: rig.redis.proc.pid });
  const { elapsedS } = await runBurst(t, o, async (seqs) => void (await rig.queue.addBulk(seqs.map((s) => ({ name: JOB, data: rig.data(s) })))));
  const used = cpu();
  const d = await rig.finish();
  return { perS: t.done / elapsedS, elapsedS, latency: summarize(t.latencies()), ok: checkOk(t, d), cpu: used, check: checkLine(t, d), problems: t.problems };
}

export async function bullmqPaced(o: Omit<BullmqOptions, "tasks"> & PacedOptions): Promise<ShapeResult> {
  const rig = await startBullmq({ ...o, tasks: Math.round(o.rate * o.durationS) });
  const t = rig.tracker;
  const cpu = cpuMeter({ redis: rig.redis.proc.pid });
  const paced = await runPaced(t, o, async (seq) => void (await rig.queue.add(JOB, rig.data(seq))));
  const used = cpu();
  const d = await rig.finish();
  return { perS: paced.sustainedPerS, paced, latency: paced.latency, ok: checkOk(t, d) && paced.failedRequests === 0, cpu: used, check: checkLine(t, d), problems: t.problems };
}
