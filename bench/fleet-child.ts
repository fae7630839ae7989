// One process of bench:fleet's agents (started by bench/fleet.ts with `node --import tsx`, an
// IPC channel open): connects agents fleet-<from> … fleet-<from+count-1> to the server, each a
// light SDK agent — 1 or 2 slots, capability `fleet`, label `agent=<its name>` (so a task can
// target exactly one agent), a no-op handler, heartbeats at the interval the server gives. It
// reports to the parent over process.send, batched every few ms, with wall-clock times
// (performance.timeOrigin + performance.now(), the same clock the parent uses):
//   { t: "registered", n, at }      each registration, including re-registrations after a restart
//   { t: "assigned", seq, id, n, at }  a task reached agent fleet-<n> (its `taskAssigned`)
//   { t: "finished", id, ok }       the SDK reported the task's outcome
//   { t: "ready" }                  every agent of this process registered once
// and answers { t: "ping", sent } with { t: "pong", sent, at } (the parent measures the clock
// offset between the two processes with it). On { t: "close" } it closes every agent and exits.
import { connectAgent, type Agent } from "../agent/sdk";

const [url, token, fromArg, countArg, concurrencyArg] = process.argv.slice(2);
const FROM = Number(fromArg);
const COUNT = Number(countArg);
const CONCURRENCY = Number(concurrencyArg ?? 25);
const nowMs = () => performance.timeOrigin + performance.now();

type Msg =
  | { t: "registered"; n: number; at: number }
  | { t: "assigned"; seq: number; id: string; n: number; at: number }
  | { t: "finished"; id: string; ok: boolean }
  | { t: "disconnected"; n: number; at: number }
  | { t: "ready"; pid: number; connectS: number }
  | { t: "warn"; n: number; message: string }
  | { t: "error"; message: string }
  | { t: "pong"; sent: number; at: number };

let outbox: Msg[] = [];
let flushTimer: NodeJS.Timeout | undefined;
function send(m: Msg, now = false) {
  outbox.push(m);
  if (now) return flush();
  flushTimer ??= setTimeout(flush, 2);
}
function flush() {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!outbox.length || !process.connected) return;
  const batch = outbox;
  outbox = [];
  process.send!(batch);
}

// One resource sample for the whole process, refreshed every 5 s: the server gets a realistic
// heartbeat (cpu, memory) without 250 samplers reading /proc.
let resources = { cpu: 0, memoryMb: 0 };
let lastCpu = process.cpuUsage();
let lastAt = performance.now();
const sampler = setInterval(() => {
  const cpu = process.cpuUsage(lastCpu);
  const at = performance.now();
  resources = { cpu: Math.round(((cpu.user + cpu.system) / 1000 / (at - lastAt)) * 100 * 10) / 10 / COUNT, memoryMb: Math.round(process.memoryUsage().rss / 1048576 / COUNT) };
  lastCpu = process.cpuUsage();
  lastAt = at;
}, 5000);

const agents: Agent[] = [];
let warnings = 0;
async function connectOne(n: number) {
  const name = `fleet-${n}`;
  const a = await connectAgent({
    server: url,
    token,
    card: { name, slots: 1 + (n % 2), capabilities: ["fleet"], labels: { agent: name } },
    resources: () => resources,
    // Warnings after the server is stopped are expected (lost the server); a few are passed on.
    logger: { info: () => {}, warn: (message) => void (warnings++ < 5 && send({ t: "warn", n, message })) },
    onTask: () => null,
  });
  a.on("taskAssigned", (task) => send({ t: "assigned", seq: (task.payload as { seq: number }).seq, id: task.taskId, n, at: nowMs() }));
  a.on("taskFinished", (o) => send({ t: "finished", id: o.taskId, ok: o.status === "succeeded" }));
  a.on("registered", () => send({ t: "registered", n, at: nowMs() }));
  a.on("disconnected", () => send({ t: "disconnected", n, at: nowMs() }));
  agents.push(a);
  // The first registration happened before the listener existed: report it here.
  send({ t: "registered", n, at: nowMs() });
}

process.on("message", (m: { t: string; sent?: number }) => {
  if (m.t === "ping") send({ t: "pong", sent: m.sent!, at: nowMs() }, true);
  if (m.t === "close") void close();
});
// The parent died: do not linger.
process.on("disconnect", () => void close(1));

let closing = false;
async function close(code = 0) {
  if (closing) return;
  closing = true;
  clearInterval(sampler);
  await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 200 }).catch(() => {})));
  flush();
  process.exit(code);
}

async function main() {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < COUNT) await connectOne(FROM + next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, COUNT) }, worker));
  send({ t: "ready", pid: process.pid, connectS: (performance.now() - t0) / 1000 }, true);
}

main().catch((e) => {
  send({ t: "error", message: (e as Error).stack ?? String(e) }, true);
  void close(1);
});
