// Model-based fuzzing of the scheduler: random command sequences over a small fleet, with the
// invariants from scheduler.ts checked after every step.
import fc from "fast-check";
import { expect, test } from "vitest";
import { isTerminal, type Capability, type Submitter, type TaskStatus } from "@/lib/protocol";
import { FakeClock } from "./clock";
import { MAX_BACKOFF_MS } from "./retry";
import { Scheduler, type AgentRegistration, type HistoryEntry, type NewTask, type Outbox, type TaskState } from "./scheduler";

const TTL = 10_000;
const caps = (spec: Record<string, number>): Capability[] => Object.entries(spec).map(([name, level]) => ({ name, level }));

const FLEET: AgentRegistration[] = [
  { id: "id-a", name: "a", kind: "sdk", capabilities: caps({ ts: 2 }), labels: { region: "eu" }, slots: 1, version: "1", tokenId: null },
  { id: "id-b", name: "b", kind: "sdk", capabilities: caps({ ts: 1, gpu: 1 }), labels: {}, slots: 2, version: "1", tokenId: null },
  { id: "id-c", name: "c", kind: "http", pull: true, capabilities: caps({ ts: 3 }), labels: { region: "eu" }, slots: 1, version: "1", tokenId: null },
];

/** Requirement shapes; the last one no agent in FLEET can run. */
const SHAPES: Pick<NewTask, "requirements" | "labelSelector">[] = [
  {},
  { requirements: caps({ ts: 2 }) },
  { requirements: caps({ gpu: 1 }) },
  { labelSelector: { region: "eu" } },
  { requirements: caps({ rust: 1 }) },
];

/** Who submits a task: unknown (created before submitters were recorded), users, tokens, workflows. */
const SUBMITTERS: (Submitter | null)[] = [
  null,
  { kind: "user", name: "ada", role: "admin", by: null },
  { kind: "user", name: "otto", role: "operator", by: null },
  { kind: "token", name: "deploy-bot", role: "admin", by: "ada" },
  { kind: "token", name: "ci", role: "submit", by: "otto" },
  { kind: "workflow", name: "release-train", role: null, by: "ada" },
  { kind: "workflow", name: "nightly", role: null, by: "otto" },
];

/** `--accept-from` rule sets an agent registers with; the first accepts anyone's tasks. */
const RULESETS: string[][] = [[], ["role:admin"], ["workflow:release-train"], ["user:otto", "workflow:*"], ["token:ci"], ["role:operator"]];

/**
 * Which rule set accepts which submitter (rows: RULESETS, columns: SUBMITTERS), written out by
 * hand from the rules' documented meaning rather than computed with lib/accept-from.ts, so a
 * bug there cannot make the check agree with it: `role:admin` is an admin user or an
 * admin-scoped token, `role:operator` an operator or a submit-scoped token, `user:otto` otto or
 * a token otto minted, and a task of unknown origin matches no rule.
 */
const ACCEPTS: boolean[][] = [
  //  null   ada    otto   deploy ci     release nightly
  [true, true, true, true, true, true, true],
  [false, true, false, true, false, false, false],
  [false, false, false, false, false, true, false],
  [false, false, true, false, true, true, true],
  [false, false, false, false, true, false, false],
  [false, false, true, false, true, false, false],
];

type ReportKind = "accept" | "progress" | "complete" | "fail" | "release";
type Cmd =
  | { k: "register"; agent: number; rules: number }
  | { k: "disconnect" | "drainAgent" | "claim"; agent: number }
  | { k: "heartbeat"; agent: number; mentions: number | null }
  | { k: "submit"; shape: number; submitter: number; priority: number; maxAttempts: number; backoffMs: number; timeout: boolean }
  | { k: "dispatch" }
  | { k: "report"; kind: ReportKind; pool: "held" | "any"; task: number; by: "holder" | number; attempt: "current" | number; retryable: boolean }
  | { k: "cancel" | "requeue"; task: number }
  | { k: "advance"; ms: number };

/** Takes everything at the end (no accept-from rules), so every task can finish. */
const CLOSER: AgentRegistration = {
  id: "id-z",
  name: "z",
  kind: "sdk",
  capabilities: caps({ ts: 5, gpu: 5, rust: 5 }),
  labels: { region: "eu" },
  slots: 64,
  version: "1",
  tokenId: null,
};

const agentIx = fc.integer({ min: 0, max: FLEET.length - 1 });
const taskIx = fc.nat({ max: 40 });

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("register" as const),
      agent: agentIx,
      // Half the registrations take anyone's tasks; the rest some rule set (a re-registration may change it).
      rules: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: RULESETS.length - 1 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("disconnect" as const, "drainAgent" as const), agent: agentIx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("claim" as const), agent: agentIx }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("heartbeat" as const), agent: agentIx, mentions: fc.option(taskIx) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("submit" as const),
      shape: fc.integer({ min: 0, max: SHAPES.length - 1 }),
      // Often of unknown origin; otherwise one of the submitters.
      submitter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: SUBMITTERS.length - 1 })),
      priority: fc.integer({ min: 0, max: 2 }),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
      backoffMs: fc.constantFrom(0, 500, 2000),
      timeout: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ k: "dispatch" as const }) },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant("report" as const),
      kind: fc.constantFrom<ReportKind>("accept", "progress", "complete", "fail", "release"),
      // Mostly about a task some agent holds; sometimes about any task, finished ones included.
      pool: fc.constantFrom("held" as const, "held" as const, "held" as const, "any" as const),
      task: taskIx,
      // Mostly the holder with its current attempt, so reports are often accepted; otherwise
      // some other agent and/or some other attempt number.
      by: fc.oneof({ weight: 4, arbitrary: fc.constant("holder" as const) }, { weight: 1, arbitrary: agentIx }),
      attempt: fc.oneof({ weight: 4, arbitrary: fc.constant("current" as const) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
      retryable: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("cancel" as const, "requeue" as const), task: taskIx }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant("advance" as const), ms: fc.constantFrom(100, 100, 1_000, 1_000, 2_500, TTL / 2, TTL - 1, TTL, TTL + 1, 3 * TTL) }),
  },
);

const LIVE: readonly TaskStatus[] = ["assigned", "running"];
const TERMINAL_EVENTS = new Set(["succeeded", "failed", "canceled", "dead"]);

/** A small seeded generator (mulberry32) so a failing run replays exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Harness {
  readonly clock = new FakeClock();
  readonly s: Scheduler;
  /** Every task ever submitted, by the reference the scheduler keeps (and returns after it finishes). */
  readonly tasks: TaskState[] = [];
  readonly history = new Map<string, HistoryEntry[]>();
  private statusBefore = new Map<string, TaskStatus>();
  private seq = 0;
  /** Tasks with new history since the last check; only their histories need checking again. */
  private readonly touched = new Set<string>();
  /** The RULESETS row each agent last registered with, and each task's SUBMITTERS column. */
  private readonly rulesOf = new Map<string, number>();
  private readonly submitterOf = new Map<string, number>();

  constructor(seed: number) {
    this.s = new Scheduler({ clock: this.clock, leaseTtlMs: TTL, defaultStrategy: "least-loaded", random: seeded(seed), timeoutGraceMs: 1_000 });
  }

  run(c: Cmd) {
    const s = this.s;
    let requeued: string | null = null;
    switch (c.k) {
      case "register":
        s.registerAgent({ ...FLEET[c.agent], acceptFrom: RULESETS[c.rules] });
        this.rulesOf.set(FLEET[c.agent].id, c.rules);
        break;
      case "disconnect":
        s.disconnectAgent(FLEET[c.agent].id);
        break;
      case "drainAgent":
        expect(s.drainAgent(FLEET[c.agent].id).ok).toBe(s.agents.has(FLEET[c.agent].id));
        break;
      case "claim":
        s.setAwaitingClaim(FLEET[c.agent].id, true);
        break;
      case "heartbeat": {
        const id = FLEET[c.agent].id;
        const mentioned = c.mentions != null && this.tasks.length ? this.tasks[c.mentions % this.tasks.length].id : null;
        const r = s.heartbeat(id, { cpu: 10, taskIds: mentioned ? [mentioned] : [] });
        const a = s.agents.get(id);
        expect(r.ok).toBe(!!a);
        if (r.ok && mentioned) expect(r.value.map((n) => n.taskId)).toEqual(a!.tasks.has(mentioned) ? [] : [mentioned]);
        break;
      }
      case "submit": {
        const t = s.submit({
          id: `t${this.seq++}`,
          title: "fuzz",
          ...SHAPES[c.shape],
          submittedBy: SUBMITTERS[c.submitter],
          priority: c.priority,
          maxAttempts: c.maxAttempts,
          backoffMs: c.backoffMs,
          timeoutMs: c.timeout ? 500 : null,
        });
        this.tasks.push(t);
        this.submitterOf.set(t.id, c.submitter);
        break;
      }
      case "dispatch": {
        // Who could take work just before: an assignment must go to one of them.
        const open = new Map([...s.agents.values()].map((a) => [a.id, a.connected && !a.draining && (!a.pull || a.awaitingClaim)]));
        const n = s.dispatch();
        const o = this.drain();
        expect(o.assignments.length).toBe(n);
        for (const { agentId, assignment } of o.assignments) {
          const t = s.tasks.get(assignment.taskId)!;
          expect(t).toMatchObject({ status: "assigned", agentId, attempt: assignment.attempt });
          check(open.get(agentId), `${t.id} was assigned to ${agentId}, which was not taking work (disconnected, draining, or a puller without a claim)`);
          this.checkQualifies(agentId, t);
        }
        break;
      }
      case "report":
        this.report(c);
        break;
      case "cancel": {
        if (!this.tasks.length) return;
        const t = this.tasks[c.task % this.tasks.length];
        const wasLive = s.tasks.has(t.id);
        const holder = LIVE.includes(t.status) ? { agentId: t.agentId!, attempt: t.attempt } : null;
        const r = s.cancel(t.id, "fuzz");
        expect(r.ok).toBe(wasLive);
        if (!r.ok) expect(r.code).toBe("NOT_FOUND");
        const o = this.drain();
        expect(o.cancels).toEqual(holder ? [{ ...holder, taskId: t.id, reason: "fuzz" }] : []);
        break;
      }
      case "requeue": {
        if (!this.tasks.length) return;
        const t = this.tasks[c.task % this.tasks.length];
        // The coordinator only retries tasks that are no longer live.
        if (s.tasks.has(t.id)) return;
        s.requeue(t, "fuzz");
        requeued = t.id;
        break;
      }
      case "advance":
        this.clock.advance(c.ms);
        s.tick();
        break;
    }
    this.drain();
    this.checkInvariants(requeued);
    this.touched.clear();
  }

  private report(c: Extract<Cmd, { k: "report" }>) {
    const s = this.s;
    const pool = c.pool === "held" ? this.tasks.filter((t) => LIVE.includes(t.status)) : this.tasks;
    if (!pool.length) return;
    const t = pool[c.task % pool.length];
    const by = c.by === "holder" ? (t.agentId ?? FLEET[0].id) : FLEET[c.by].id;
    const attempt = c.attempt === "current" ? t.attempt : c.attempt;
    const before = { live: s.tasks.has(t.id), status: t.status, agentId: t.agentId, attempt: t.attempt, failures: t.failures };
    const r =
      c.kind === "accept"
        ? s.accept(by, t.id, attempt)
        : c.kind === "progress"
          ? s.progress(by, t.id, attempt, 50, "half")
          : c.kind === "complete"
            ? s.complete(by, t.id, attempt, { by })
            : c.kind === "fail"
              ? s.fail(by, t.id, attempt, "fuzz error", c.retryable)
              : s.release(by, t.id, attempt, "fuzz release");
    // (4) A report is accepted exactly when it names the current attempt of the current holder.
    const current = before.live && LIVE.includes(before.status) && before.agentId === by && before.attempt === attempt;
    expect(r.ok).toBe(current);
    if (!r.ok) {
      expect(r.code).toBe("STALE_ATTEMPT");
      expect({ live: s.tasks.has(t.id), status: t.status, agentId: t.agentId, attempt: t.attempt, failures: t.failures }).toEqual(before);
    }
  }

  drain(): Outbox {
    const o = this.s.drain();
    for (const h of o.history) {
      const list = this.history.get(h.taskId) ?? [];
      list.push(h);
      this.history.set(h.taskId, list);
      this.touched.add(h.taskId);
    }
    return o;
  }

  /**
   * An assignment satisfies its task's requirements, judged here without the scheduler's own
   * matching code: every required capability at or above its level, every selected label with
   * the same value, and the agent's accept-from rules (the ACCEPTS table) taking the submitter.
   */
  checkQualifies(agentId: string, t: TaskState) {
    const reg = [...FLEET, CLOSER].find((a) => a.id === agentId)!;
    for (const r of t.requirements) {
      const level = Math.max(0, ...reg.capabilities.filter((c) => c.name === r.name).map((c) => c.level));
      check(level >= r.level, `${t.id} needs ${r.name}:${r.level} but went to ${agentId}, which has level ${level}`);
    }
    for (const [k, v] of Object.entries(t.labelSelector)) check(reg.labels[k] === v, `${t.id} selects ${k}=${v} but went to ${agentId} (${k}=${reg.labels[k]})`);
    const rules = this.rulesOf.get(agentId) ?? 0;
    const from = this.submitterOf.get(t.id) ?? 0;
    check(ACCEPTS[rules][from], `${t.id}, submitted by ${JSON.stringify(SUBMITTERS[from])}, went to ${agentId}, which accepts only ${JSON.stringify(RULESETS[rules])}`);
  }

  checkInvariants(requeued: string | null) {
    const s = this.s;
    const now = this.clock.now();
    // (1) A task is held by at most one agent, and agent.tasks ⇔ task.agentId for live tasks.
    const holders = new Map<string, string>();
    for (const a of s.agents.values()) {
      // (2) No agent holds more than its slots.
      check(a.tasks.size <= a.slots, `${a.id} holds ${a.tasks.size} tasks in ${a.slots} slots`);
      for (const id of a.tasks) {
        check(!holders.has(id), `${id} is held by ${holders.get(id)} and ${a.id}`);
        holders.set(id, a.id);
        const t = s.tasks.get(id);
        check(t, `${a.id} holds ${id}, which is not live`);
        check(t.agentId === a.id, `${a.id} holds ${id}, whose agentId is ${t.agentId}`);
        check(LIVE.includes(t.status), `${a.id} holds ${id}, which is ${t.status}`);
      }
    }
    for (const t of s.tasks.values()) {
      if (LIVE.includes(t.status)) {
        check(holders.get(t.id) === t.agentId, `${t.id} is ${t.status} on ${t.agentId} but held by ${holders.get(t.id)}`);
        check(t.leaseExpiresAt != null, `${t.id} is ${t.status} without a lease`);
        // Time only moves in "advance", which ticks at once: a lease that ran out has been taken
        // back by then, so every lease still held is in the future — and never more than one
        // TTL away (it is renewed from now, never pushed further).
        check(t.leaseExpiresAt > now, `${t.id} is ${t.status} on ${t.agentId} with a lease that expired at ${t.leaseExpiresAt} (now ${now})`);
        check(t.leaseExpiresAt <= now + TTL, `${t.id} has a lease until ${t.leaseExpiresAt}, more than one TTL after ${now}`);
      } else {
        check(t.status === "queued", `${t.id} is live but ${t.status}`);
        check(t.agentId === null && !holders.has(t.id), `queued ${t.id} is held by ${t.agentId ?? holders.get(t.id)}`);
      }
    }

    // (5) The counts are the live tasks in memory, and the live tasks are exactly the unfinished ones.
    const c = s.counts();
    check(c.queued + c.assigned + c.running === s.tasks.size, `counts ${JSON.stringify(c)} but ${s.tasks.size} live tasks`);
    for (const t of this.tasks) {
      const live = s.tasks.get(t.id);
      check(!!live === !isTerminal(t.status), `${t.id} is ${t.status} and ${live ? "" : "not "}in memory`);
      check(!live || live === t, `${t.id} was replaced in memory`);
      // The retry budget: a live task has attempts left; a lost task dies only when it has none.
      check(t.failures <= t.maxAttempts, `${t.id} failed ${t.failures} of ${t.maxAttempts} times`);
      if (live) check(t.failures < t.maxAttempts, `${t.id} is ${t.status} after ${t.failures} of ${t.maxAttempts} failures`);
      if (t.status === "dead") check(t.failures === t.maxAttempts, `${t.id} is dead after ${t.failures} of ${t.maxAttempts}`);
    }

    // (3) A terminal status never changes except by an operator's requeue, and each life has at
    // most one terminal event in its history, after which only rejected reports follow.
    for (const t of this.tasks) {
      const prev = this.statusBefore.get(t.id);
      if (prev && isTerminal(prev) && t.id !== requeued) check(t.status === prev, `${t.id} went from ${prev} to ${t.status}`);
      this.statusBefore.set(t.id, t.status);
      if (!this.touched.has(t.id)) continue;
      const lives = splitLives(this.history.get(t.id) ?? []);
      for (const life of lives) {
        const trail = `${t.id}: ${life.map((h) => h.type).join(" ")}`;
        const ends = terminalEvents(life);
        check(ends.length <= 1, `more than one end in one life: ${trail}`);
        if (ends.length) {
          const after = life.slice(life.indexOf(ends[0]) + 1);
          check(after.every((h) => h.type === "report_rejected"), `events after the end: ${trail}`);
        }
      }
      const last = terminalEvents(lives[lives.length - 1]).map((h) => h.type);
      check(isTerminal(t.status) ? last.length === 1 && last[0] === t.status : last.length === 0, `${t.id} is ${t.status} but its life ended with [${last}]`);
    }
  }


  /** Brings every task to an end: a capable agent that stays, time past every backoff, holders that complete. */
  finishEverything() {
    const s = this.s;
    for (let round = 0; round < 8 && s.tasks.size > 0; round++) {
      this.clock.advance(MAX_BACKOFF_MS + TTL);
      s.registerAgent(CLOSER);
      s.tick();
      s.dispatch();
      for (const t of [...s.tasks.values()]) {
        if (LIVE.includes(t.status)) expect(s.complete(t.agentId!, t.id, t.attempt, null).ok).toBe(true);
      }
      for (const { agentId, assignment } of this.drain().assignments) this.checkQualifies(agentId, s.tasks.get(assignment.taskId) ?? this.tasks.find((x) => x.id === assignment.taskId)!);
      this.checkInvariants(null);
      this.touched.clear();
    }
    expect([...s.tasks.values()].map((t) => `${t.id}:${t.status}`)).toEqual([]);
  }
}

/** A cheap assertion for the per-step checks; `expect` in these loops would dominate the run time. */
function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`invariant violated: ${message}`);
}

function splitLives(history: HistoryEntry[]): HistoryEntry[][] {
  const lives: HistoryEntry[][] = [[]];
  for (const h of history) {
    if (h.type === "requeued") lives.push([]);
    lives[lives.length - 1].push(h);
  }
  return lives;
}

/** The events that ended a life (a retried failure is `attempt_failed`, which ends only an attempt). */
function terminalEvents(life: HistoryEntry[]): HistoryEntry[] {
  return life.filter((h) => TERMINAL_EVENTS.has(h.type));
}

// SCHEDULER_PROPERTY_RUNS=20000 for a longer hunt than CI's.
const RUNS = Number(process.env.SCHEDULER_PROPERTY_RUNS ?? 500);

test("[SCHEDULER]: random command sequences keep leases, slots, fencing, matching and terminal states consistent (property)", () => {
  fc.assert(
    fc.property(fc.array(cmd, { minLength: 10, maxLength: 80, size: "max" }), fc.integer(), (cmds, seed) => {
      const h = new Harness(seed);
      for (const c of cmds) h.run(c);
      h.finishEverything();
    }),
    { numRuns: RUNS },
  );
  // 500 runs take 2–3 s on the 2-core machine; the default 5 s is too close when it is busy.
}, 30_000 + RUNS * 20);
