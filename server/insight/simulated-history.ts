// Simulated history for the demo (`npm run demo -- --history 14d`): a fleet of simulated agents
// works through days of seasonal demand, replayed through the REAL coordinator, scheduler and
// workflow engine on a simulated clock, into the real store — so every number the analytics
// pages show was computed by the same code from the same records as live data. Nothing runs
// commands: a simulated agent "runs" a task by taking simulated time (and sometimes failing the
// way real ones do). The store is marked (Meta `simulated-history`) and the pages say so.
import { FakeClock } from "@/server/core/clock";
import { Coordinator } from "@/server/coordinator/coordinator";
import { WorkflowService } from "@/server/workflows/workflow-service";
import { hashToken } from "@/server/auth/tokens";
import type { Store } from "@/server/store/ports";
import type { Assignment } from "@/lib/protocol";
import { SIMULATED_KEY } from "./insight-queries";

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Simulated time moves a minute at a time: queue waits are measured to the minute. */
const STEP_MS = 60_000;

interface SimAgent {
  name: string;
  capabilities: string[];
  slots: number;
  labels?: Record<string, string>;
  /** Run-time multiplier: one agent is slow at builds, on purpose. */
  slow?: number;
  version: string;
}

/** The demo's fleet (scripts/demo.ts), so simulated and live history share names and capabilities. */
export const SIM_FLEET: SimAgent[] = [
  { name: "builder-1", capabilities: ["shell", "build:3", "typescript:3"], slots: 2, version: "1.3.2" },
  { name: "builder-2", capabilities: ["shell", "build:2", "typescript:2"], slots: 1, slow: 3, version: "1.3.2" },
  { name: "tester-1", capabilities: ["shell", "test:3", "typescript:2"], slots: 2, version: "1.3.2" },
  { name: "tester-2", capabilities: ["shell", "test:2", "python:2"], slots: 1, version: "1.3.2" },
  { name: "docs-1", capabilities: ["shell", "docs:2"], slots: 1, version: "1.3.2" },
  { name: "ops-1", capabilities: ["shell", "deploy:3"], slots: 1, labels: { region: "eu" }, version: "1.3.2" },
];

/** Kinds of work: arrivals per hour at the weekday peak, mean run time, how they fail. */
const WORK = [
  { title: "Build web bundle", requires: "build:2", perHour: 14, runMs: 3 * MIN },
  { title: "Typecheck packages", requires: "typescript:2", perHour: 30, runMs: 1.5 * MIN },
  { title: "Run unit tests", requires: "test:2", perHour: 30, runMs: 2 * MIN },
  { title: "Run integration tests", requires: "test:2", perHour: 14, runMs: 6 * MIN, flaky: 0.12 },
  { title: "Lint python scripts", requires: "python:2", perHour: 6, runMs: MIN },
  { title: "Render docs", requires: "docs:2", perHour: 4, runMs: 2 * MIN },
  { title: "Count system binaries", requires: "shell", perHour: 10, runMs: 10_000 },
] as const;

/** A small, seeded random source (mulberry32): the same replay every time. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Demand shape: weekday working hours (UTC) are busy, nights and weekends quiet. */
export function demandFactor(at: number): number {
  const d = new Date(at);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  const day = Math.exp(-((h - 13) ** 2) / (2 * 3 ** 2)); // a bell around 13:00
  return (weekend ? 0.15 : 1) * (0.08 + 0.92 * day);
}

export interface ReplayResult {
  from: number;
  to: number;
  tasks: number;
  runs: number;
}

/**
 * Replays `days` of simulated history ending at `to` into the store. Refuses a store that
 * already holds simulated history (a second replay would count the same days twice).
 */
export async function replaySimulatedHistory(store: Store, opts: { days: number; to: number; seed?: number; onProgress?: (fraction: number) => void }): Promise<ReplayResult> {
  if (await store.insight.meta(SIMULATED_KEY)) throw new Error("this store already has simulated history; use a fresh data directory to replay again");
  const random = seededRandom(opts.seed ?? 42);
  const to = Math.floor(opts.to / STEP_MS) * STEP_MS;
  const from = to - opts.days * 24 * HOUR;
  const clock = new FakeClock(from);
  const coordinator = new Coordinator({
    store,
    clock,
    heartbeatIntervalMs: MIN,
    leaseTtlMs: 10 * MIN,
    defaultStrategy: "least-loaded",
    manualTicks: true,
    forgetOfflineAfterMs: null,
  });
  await coordinator.start();
  const workflows = new WorkflowService({ store: store.workflows, coordinator, clock, insight: store.insight });
  await workflows.start();

  const secret = `sim-${Math.random().toString(36).slice(2)}`;
  const tokenId = `tok_sim_${Date.now().toString(36)}`;
  await store.tokens.create({ id: tokenId, name: "simulated history", prefix: secret.slice(0, 8), scope: "agent", canSubmit: false, createdBy: null, createdAt: from, lastUsedAt: null, expiresAt: null, revokedAt: from, hash: hashToken(secret) });
  const token = { id: tokenId, hash: hashToken(secret) };
  const ids = new Map<string, string>();
  const byId = new Map<string, SimAgent>();
  const register = async (a: SimAgent) => {
    const r = await coordinator.registerAgent(
      { name: a.name, kind: "sdk", capabilities: a.capabilities.map((c) => ({ name: c.split(":")[0], level: Number(c.split(":")[1] ?? 1) })), labels: a.labels ?? {}, channels: [], slots: a.slots, version: a.version, acceptFrom: [], leaseTtlMs: 30 * MIN },
      token,
      "socket",
    );
    ids.set(a.name, r.agentId);
    byId.set(r.agentId, a);
  };
  const fleet = SIM_FLEET.map((a) => ({ ...a }));
  for (const a of fleet) await register(a);

  // Finishing work at simulated times: [at, action].
  const due: { at: number; run: () => Promise<unknown> }[] = [];
  const later = (at: number, run: () => Promise<unknown>) => due.push({ at, run });
  const busy = new Map<string, number>();
  /** After its upgrade on the last third of the replay, tester-2 leaks memory and gets OOM-killed. */
  const upgradeAt = from + Math.floor(opts.days * 0.65) * 24 * HOUR + 10 * HOUR;
  let upgraded = false;

  const resultFor = (a: Assignment) => {
    const step = (a.payload as { step?: string } | null)?.step ?? "";
    if (step === "build") return { artifact: "app.tgz", size_kb: 1200 };
    if (step === "unit_tests" || step === "test") return { passed: 25, failed: random() < 0.08 ? 1 : 0, coverage: 70 + Math.floor(random() * 25) };
    if (step === "typecheck") return { errors: 0 };
    if (step === "plan") return { branch: "feature/sim" };
    return { ok: true };
  };

  coordinator.bus.on("tasksAssigned", (list) => {
    for (const { agentId, assignment } of list) {
      const a = byId.get(agentId);
      if (!a) continue;
      const t = clock.now();
      busy.set(agentId, (busy.get(agentId) ?? 0) + 1);
      const kind = WORK.find((w) => assignment.title.startsWith(w.title));
      const base = kind?.runMs ?? 90_000;
      const needsBuild = (coordinator.liveTask(assignment.taskId)?.requirements ?? []).some((r) => r.name === "build");
      const slow = a.slow && needsBuild ? a.slow : 1;
      // Log-normal-ish run times around the kind's mean.
      const runMs = Math.max(5_000, base * slow * Math.exp((random() - 0.5) * 0.8));
      void coordinator.accept(agentId, assignment.taskId, assignment.attempt).catch(() => {});
      const endAt = t + runMs;
      later(endAt, async () => {
        busy.set(agentId, Math.max(0, (busy.get(agentId) ?? 1) - 1));
        const flaky = kind && "flaky" in kind ? kind.flaky : 0;
        if (a.name === "tester-2" && upgraded && random() < 0.35) {
          await coordinator.progress(agentId, { taskId: assignment.taskId, attempt: assignment.attempt, logs: [{ stream: "stderr", line: `worker ${1000 + Math.floor(random() * 9000)} exceeded memory limit (${1800 + Math.floor(random() * 200)} MB)` }] }).catch(() => {});
          return coordinator.fail(agentId, assignment.taskId, assignment.attempt, `exit code 137: Killed (out of memory, pid ${20000 + Math.floor(random() * 9999)})`, true);
        }
        if (flaky && random() < flaky) {
          await coordinator.progress(agentId, { taskId: assignment.taskId, attempt: assignment.attempt, logs: [{ stream: "stderr", line: `connect ECONNRESET 10.0.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}:5432` }] }).catch(() => {});
          return coordinator.fail(agentId, assignment.taskId, assignment.attempt, `exit code 1: connection reset by peer after ${Math.floor(random() * 3000)} ms`, true);
        }
        if (a.name === "builder-2" && needsBuild && random() < 0.3) {
          return coordinator.fail(agentId, assignment.taskId, assignment.attempt, `exit code 2: error: missing header /usr/include/sqlite3.h (build ${Math.floor(random() * 99999)})`, true);
        }
        if (assignment.title.includes("QA smoke") && random() < 0.1) return coordinator.fail(agentId, assignment.taskId, assignment.attempt, "exit code 1: login page returns 500", false);
        return coordinator.complete(agentId, assignment.taskId, assignment.attempt, resultFor(assignment));
      });
    }
  });

  let tasks = 0;
  let runs = 0;
  let nextRunAt = from + 2 * HOUR;
  const RUNS: [string, Record<string, string | number | boolean>][] = [
    ["release-train", { version: "1.4.0" }],
    ["feature-pipeline", { feature: "search", slices: 2 }],
    ["release-train", { version: "1.4.1" }],
    ["feature-pipeline", { feature: "exports", slices: 3 }],
  ];
  const pending: Promise<unknown>[] = [];
  const total = to - from;
  let lastReport = 0;
  for (let t = from; t < to; t += STEP_MS) {
    clock.set(t);
    // The upgrade: tester-2 re-registers with a new version.
    if (!upgraded && t >= upgradeAt) {
      upgraded = true;
      const a = fleet.find((x) => x.name === "tester-2")!;
      a.version = "1.4.0";
      await register(a);
    }
    for (const w of WORK) {
      const expected = (w.perHour * demandFactor(t) * STEP_MS) / HOUR;
      // Poisson arrivals in this step.
      let k = 0;
      for (let p = Math.exp(-expected), u = random(); u > p && k < 20; k++) u *= random();
      if (k === 0) continue;
      tasks += k;
      pending.push(
        coordinator.submit(
          Array.from({ length: k }, () => ({
            title: `${w.title} (simulated)`,
            requires: [{ name: w.requires.split(":")[0], level: Number(w.requires.split(":")[1] ?? 1) }],
            labels: {},
            priority: 0,
            retry: { maxAttempts: 3, backoffMs: 30_000 },
          })),
          { submittedBy: { kind: "user", name: "simulator", role: "operator", by: null } },
        ),
      );
    }
    if (t >= nextRunAt) {
      const [name, params] = RUNS[runs++ % RUNS.length];
      pending.push(workflows.startRun(name, { ...params, ...(name === "release-train" ? { version: `1.${4 + Math.floor(runs / 10)}.${runs % 10}` } : {}) }, "simulator").catch(() => {}));
      nextRunAt = t + (demandFactor(t) > 0.5 ? 2 : 6) * HOUR;
    }
    // Approvals: a simulated reviewer decides within an hour or two during the day.
    for (const { run, step } of workflows.pendingApprovals()) {
      const waited = t - (step.startedAt ?? t);
      if (waited > (demandFactor(t) > 0.3 ? 40 * MIN : 4 * HOUR) && random() < 0.2) pending.push(workflows.decide(run.id, step.id, random() < 0.85 ? "approve" : "reject", "simulated-reviewer").catch(() => {}));
    }
    due.sort((a, b) => a.at - b.at);
    while (due.length && due[0].at <= t + STEP_MS) pending.push(due.shift()!.run().catch(() => {}));
    // Heartbeats with resources, every simulated minute.
    if (t % MIN === 0) {
      for (const a of fleet) {
        const id = ids.get(a.name)!;
        const load = (busy.get(id) ?? 0) / a.slots;
        const leak = a.name === "tester-2" && upgraded ? 0.4 + 0.55 * (((t - upgradeAt) / (6 * HOUR)) % 1) : 0;
        pending.push(coordinator.heartbeat(id, { cpu: Math.min(400, 15 + 320 * load + random() * 20), memoryMb: 300 + 1400 * Math.max(load * 0.4, leak), memoryTotalMb: 2048, cpuCount: 4 }).catch(() => {}));
      }
    }
    pending.push(coordinator.tickNow());
    await Promise.all(pending.splice(0));
    if (opts.onProgress && t - lastReport >= 6 * HOUR) {
      lastReport = t;
      opts.onProgress((t - from) / total);
    }
  }
  // Let what runs finish, then the simulated fleet leaves: the live fleet is only real agents.
  clock.set(to);
  for (const d of due.splice(0)) await d.run().catch(() => {});
  await coordinator.tickNow();
  // What is still open ends here: live agents must never pick up a simulated task.
  for (const { run } of await store.workflows.activeRuns()) await workflows.cancelRun(run.id, "simulator").catch(() => {});
  for (const t of await store.tasks.unfinished()) await coordinator.cancel(t.id, "the simulation ended").catch(() => {});
  await coordinator.tickNow();
  for (const id of ids.values()) await coordinator.agentStopped(id);
  // The simulated agents leave the fleet (their names are free for the live demo's agents);
  // their history stays, and rollups know agents by name.
  for (const id of ids.values()) await coordinator.forgetAgent(id).catch(() => {});
  await workflows.stop();
  await coordinator.stop();
  await store.insight.setMeta(SIMULATED_KEY, JSON.stringify({ from, to, note: `simulated: ${opts.days} days of a simulated fleet replayed through the real scheduler on a simulated clock (npm run demo -- --history ${opts.days}d)` }));
  return { from, to, tasks, runs };
}
