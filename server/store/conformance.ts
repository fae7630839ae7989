// The store conformance suite: what every implementation of the ports (ports.ts) must do,
// written once and run against each — in memory and SQLite (store.conformance.test.ts), and
// PostgreSQL on a real server (store.postgres.int.test.ts). A behaviour one store has and
// another lacks fails here, not in production.
import { describe, expect, it } from "vitest";
import type { TaskState } from "@/server/core/scheduler";
import type { Template } from "@/lib/workflow";
import type { AgentRow, RunRecord, StepRecord, Store, WriteBatch } from "./ports";
import { emptyCounters } from "@/server/core/insight/rollup";
import { stepRule } from "@/server/core/alerts/alert-state";
import { builtInRules } from "@/server/core/alerts/conditions";
import { bucketOf, observe } from "@/server/core/insight/histogram";

const T0 = Date.UTC(2026, 0, 1);

export function task(id: string, over: Partial<TaskState> = {}): TaskState {
  return {
    id,
    title: `task ${id}`,
    command: "true",
    payload: { n: 1, nested: { ok: true } },
    requirements: [{ name: "shell", level: 2 }],
    labelSelector: { region: "eu" },
    priority: 0,
    strategy: null,
    status: "queued",
    attempt: 0,
    failures: 0,
    maxAttempts: 3,
    backoffMs: 1000,
    timeoutMs: null,
    progressTimeoutMs: null,
    queueTimeoutMs: null,
    lastProgressAt: null,
    queuedAt: null,
    notBefore: null,
    leaseExpiresAt: null,
    agentId: null,
    avoidAgentIds: [],
    idempotencyKey: null,
    runId: null,
    stepId: null,
    template: null,
    submittedBy: { kind: "user", name: "alice", role: "operator", by: null },
    progress: null,
    result: null,
    error: null,
    createdAt: T0,
    assignedAt: null,
    startedAt: null,
    finishedAt: null,
    updatedAt: T0,
    ...over,
  };
}

export function agentRow(id: string, over: Partial<AgentRow> = {}): AgentRow {
  return {
    id,
    name: `agent-${id}`,
    kind: "sdk",
    status: "online",
    capabilities: [{ name: "shell", level: 3 }],
    labels: { region: "eu" },
    channels: ["team"],
    slots: 2,
    version: "1",
    cpu: 12.5,
    memoryMb: 80,
    lastHeartbeatAt: T0,
    connectedAt: T0,
    tokenId: "tok_1",
    credentialHash: "h",
    offlineReason: null,
    acceptFrom: ["role:admin"],
    ...over,
  };
}

const empty = (): WriteBatch => ({ tasks: [], history: [], logs: [], agents: [], samples: [] });
const batch = (over: Partial<WriteBatch>): WriteBatch => ({ ...empty(), ...over });

const template = (name: string, command = "true"): Template =>
  ({ name, description: "", params: [], failurePolicy: "fail-fast", concurrency: 10, steps: [{ id: "a", type: "task", dependsOn: [], command, requires: [], labels: {}, priority: 0, retry: { maxAttempts: 3, backoffMs: 1000 } }] }) as unknown as Template;

const run = (id: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  templateName: "wf",
  templateVersion: 1,
  status: "running",
  params: { feature: "x" },
  failurePolicy: "fail-fast",
  concurrency: 4,
  triggeredBy: "alice",
  error: null,
  createdAt: T0,
  finishedAt: null,
  ...over,
});

const step = (runId: string, id: string, position: number, over: Partial<StepRecord> = {}): StepRecord => ({
  runId,
  id,
  templateStepId: id,
  position,
  type: "task",
  title: id,
  status: "pending",
  dependsOn: [],
  def: { id, type: "task", dependsOn: [] } as unknown as StepRecord["def"],
  fanIndex: null,
  taskId: null,
  agentId: null,
  attempt: 0,
  result: null,
  error: null,
  decisions: [],
  approvalDeadline: null,
  startedAt: null,
  finishedAt: null,
  ...over,
});

/** Opens a fresh, empty store for each test. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

export function storeConformance(name: string, open: OpenStore) {
  const withStore = (fn: (s: Store) => Promise<void>) => async () => {
    const { store, cleanup } = await open();
    try {
      await fn(store);
    } finally {
      await cleanup();
    }
  };

  describe(`[STORE] ${name} conforms`, () => {
    it(
      "writes tasks in batches and reads them back exactly, newest first, a page at a time",
      withStore(async (s) => {
        const tasks = Array.from({ length: 7 }, (_, i) => task(`t${i}`, { createdAt: T0 + i * 1000, title: i % 2 ? `odd ${i}` : `even ${i}` }));
        await s.batches.write(batch({ tasks }));
        expect(await s.tasks.get("t3")).toEqual(tasks[3]);
        expect(await s.tasks.get("nope")).toBeNull();
        const first = await s.tasks.find({ limit: 3 });
        expect(first.items.map((t) => t.id)).toEqual(["t6", "t5", "t4"]);
        const second = await s.tasks.find({ limit: 3, cursor: first.nextCursor! });
        expect(second.items.map((t) => t.id)).toEqual(["t3", "t2", "t1"]);
        const last = await s.tasks.find({ limit: 3, cursor: second.nextCursor! });
        expect(last.items.map((t) => t.id)).toEqual(["t0"]);
        expect(last.nextCursor).toBeNull();
        expect((await s.tasks.find({ limit: 10, search: "odd" })).items.map((t) => t.id)).toEqual(["t5", "t3", "t1"]);
        expect((await s.tasks.find({ limit: 10, search: "t4" })).items.map((t) => t.id)).toEqual(["t4"]);
        // A period, for exports: created in [from, to).
        expect((await s.tasks.find({ limit: 10, createdFrom: T0 + 2000, createdTo: T0 + 5000 })).items.map((t) => t.id)).toEqual(["t4", "t3", "t2"]);
      }),
    );

    it(
      "an upsert changes the row (and keeps it one row); unfinished, outcomes and idempotency keys follow",
      withStore(async (s) => {
        await s.batches.write(batch({ tasks: [task("a", { idempotencyKey: "k1" }), task("b"), task("c", { createdAt: T0 + 1 })] }));
        const done = task("a", { idempotencyKey: "k1", status: "succeeded", attempt: 1, agentId: "ag1", result: { answer: 42 }, progress: 100, startedAt: T0 + 10, finishedAt: T0 + 50, updatedAt: T0 + 50 });
        await s.batches.write(batch({ tasks: [done, task("b", { status: "running", agentId: "ag1", attempt: 1, leaseExpiresAt: T0 + 99, startedAt: T0 + 20 })] }));
        expect(await s.tasks.get("a")).toEqual(done);
        expect((await s.tasks.find({ limit: 10 })).items).toHaveLength(3);
        expect((await s.tasks.find({ limit: 10, status: "running" })).items.map((t) => t.id)).toEqual(["b"]);
        expect((await s.tasks.find({ limit: 10, agentId: "ag1" })).items.map((t) => t.id).sort()).toEqual(["a", "b"]);
        expect((await s.tasks.unfinished()).map((t) => t.id)).toEqual(["b", "c"]);
        expect(await s.tasks.outcomesSince(T0)).toEqual([{ agentId: "ag1", status: "succeeded", requirements: [{ name: "shell", level: 2 }], startedAt: T0 + 10, finishedAt: T0 + 50 }]);
        expect((await s.tasks.byIdempotencyKey("k1"))?.id).toBe("a");
        expect(await s.tasks.byIdempotencyKey("k2")).toBeNull();
      }),
    );

    it(
      "a batch is all or nothing: a second task with a taken idempotency key fails the whole write",
      withStore(async (s) => {
        await s.batches.write(batch({ tasks: [task("a", { idempotencyKey: "same" })] }));
        await expect(s.batches.write(batch({ tasks: [task("b"), task("c", { idempotencyKey: "same" })] }))).rejects.toThrow();
        expect(await s.tasks.get("b")).toBeNull();
      }),
    );

    it(
      "keeps history oldest first and the newest log lines, and knows the highest ids",
      withStore(async (s) => {
        const history = [1, 2, 3].map((id) => ({ id, taskId: "t", at: T0 + id, type: "submitted" as const, attempt: 0, agentId: id === 3 ? "ag1" : null, message: id === 2 ? "hello" : null }));
        const logs = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, taskId: "t", attempt: 1, at: T0 + i, stream: "stdout" as const, line: `line ${i}` }));
        await s.batches.write(batch({ tasks: [task("t")], history, logs }));
        expect(await s.tasks.events("t", 10)).toEqual(history);
        expect(await s.tasks.events("t", 2)).toEqual(history.slice(0, 2));
        expect((await s.tasks.logs("t", 2)).map((l) => l.line)).toEqual(["line 3", "line 4"]);
        expect(await s.tasks.logs("t", 1)).toEqual([{ taskId: "t", attempt: 1, at: T0 + 4, stream: "stdout", line: "line 4" }]);
        expect(await s.tasks.maxIds()).toEqual({ event: 3, log: 5 });
        expect(await s.tasks.events("other", 10)).toEqual([]);
      }),
    );

    it(
      "stores agents with their card, their samples, and forgets them with their samples",
      withStore(async (s) => {
        await s.batches.write(batch({ agents: [agentRow("a1"), agentRow("a2", { status: "offline", offlineReason: "stopped by its owner", acceptFrom: [] })] }));
        await s.batches.write(batch({ samples: [1, 2, 3].map((i) => ({ agentId: "a1", at: T0 + i * 1000, cpu: i, memoryMb: 10 * i })) }));
        expect(await s.agents.all()).toEqual([agentRow("a1"), agentRow("a2", { status: "offline", offlineReason: "stopped by its owner", acceptFrom: [] })]);
        expect(await s.agents.samples("a1", T0 + 2000)).toEqual([
          { at: T0 + 2000, cpu: 2, memoryMb: 20 },
          { at: T0 + 3000, cpu: 3, memoryMb: 30 },
        ]);
        await s.batches.write(batch({ agents: [agentRow("a1", { cpu: 50 })] }));
        expect((await s.agents.all())[0].cpu).toBe(50);
        await s.batches.write(batch({ forgottenAgents: ["a1"] }));
        expect((await s.agents.all()).map((a) => a.id)).toEqual(["a2"]);
        expect(await s.agents.samples("a1", 0)).toEqual([]);
      }),
    );

    it(
      "keeps tokens by hash, lists them without it, revokes once and touches",
      withStore(async (s) => {
        const base = { name: "ci", prefix: "sb_abc", scope: "agent" as const, canSubmit: true, createdBy: "alice", lastUsedAt: null, expiresAt: T0 + 1e6, revokedAt: null };
        await s.tokens.create({ ...base, id: "tok_1", hash: "h1", createdAt: T0 });
        await s.tokens.create({ ...base, id: "tok_2", hash: "h2", createdAt: T0 + 1, name: "later" });
        await expect(s.tokens.create({ ...base, id: "tok_3", hash: "h1", createdAt: T0 + 2 })).rejects.toThrow();
        expect(await s.tokens.byHash("h1")).toEqual({ ...base, id: "tok_1", hash: "h1", createdAt: T0 });
        expect(await s.tokens.byHash("nope")).toBeNull();
        const list = await s.tokens.list();
        expect(list.map((t) => t.id)).toEqual(["tok_2", "tok_1"]);
        expect(list[0]).not.toHaveProperty("hash");
        expect((await s.tokens.revoke("tok_1", T0 + 10))?.revokedAt).toBe(T0 + 10);
        expect((await s.tokens.revoke("tok_1", T0 + 20))?.revokedAt).toBe(T0 + 10);
        expect(await s.tokens.revoke("tok_9", T0)).toBeNull();
        await s.tokens.touch("tok_2", T0 + 30);
        expect((await s.tokens.byHash("h2"))?.lastUsedAt).toBe(T0 + 30);
      }),
    );

    it(
      "keeps users and their sessions",
      withStore(async (s) => {
        const u = { id: "u1", username: "alice", passwordHash: "x", role: "admin" as const, disabledAt: null, createdAt: T0, createdBy: "bootstrap", lastLoginAt: null };
        expect(await s.users.count()).toBe(0);
        expect(await s.users.create(u)).toEqual(u);
        await s.users.create({ ...u, id: "u2", username: "bob", role: "viewer", createdAt: T0 + 1 });
        await expect(s.users.create({ ...u, id: "u3" })).rejects.toThrow();
        expect(await s.users.byName("alice")).toEqual(u);
        expect(await s.users.byId("u2")).toMatchObject({ username: "bob" });
        expect((await s.users.list()).map((x) => x.username)).toEqual(["alice", "bob"]);
        expect(await s.users.countEnabledAdmins("u2")).toBe(1);
        expect(await s.users.update("u1", { disabledAt: T0 + 5, lastLoginAt: T0 + 4 })).toMatchObject({ disabledAt: T0 + 5, lastLoginAt: T0 + 4, role: "admin" });
        expect(await s.users.countEnabledAdmins("u2")).toBe(0);
        await s.sessions.create({ id: "s1", hash: "sh1", userId: "u1", createdAt: T0, expiresAt: T0 + 100, ip: "1.2.3.4" });
        await s.sessions.create({ id: "s2", hash: "sh2", userId: "u2", createdAt: T0, expiresAt: T0 + 10, ip: "1.2.3.4" });
        expect(await s.sessions.byHash("sh1")).toEqual({ id: "s1", hash: "sh1", userId: "u1", createdAt: T0, expiresAt: T0 + 100, ip: "1.2.3.4" });
        expect(await s.sessions.deleteExpired(T0 + 50)).toBe(1);
        expect(await s.sessions.byHash("sh2")).toBeNull();
        await s.sessions.deleteForUser("u1");
        expect(await s.sessions.byHash("sh1")).toBeNull();
      }),
    );

    it(
      "appends audit entries and finds them newest first, filtered, a page at a time, and prunes",
      withStore(async (s) => {
        const entry = (i: number) => ({ at: T0 + i, actor: i % 2 ? "bob" : "alice", actorKind: "user" as const, role: "admin", action: i === 4 ? "tasks.cancel" : "tasks.submit", target: `t${i}`, ip: "10.0.0.1", outcome: i === 3 ? ("denied" as const) : ("ok" as const), details: i === 0 ? { reason: "x" } : null });
        await s.audit.append([entry(0), entry(1), entry(2)]); // one write, in order
        await s.audit.append([]);
        for (let i = 3; i < 5; i++) await s.audit.append([entry(i)]);
        const all = await s.audit.find({ limit: 2 });
        expect(all.items.map((e) => e.target)).toEqual(["t4", "t3"]);
        expect((await s.audit.find({ limit: 10, cursor: all.nextCursor! })).items.map((e) => e.target)).toEqual(["t2", "t1", "t0"]);
        expect((await s.audit.find({ limit: 10, actor: "bob" })).items.map((e) => e.target)).toEqual(["t3", "t1"]);
        expect((await s.audit.find({ limit: 10, outcome: "denied" })).items).toHaveLength(1);
        expect((await s.audit.find({ limit: 10, action: "cancel" })).items.map((e) => e.target)).toEqual(["t4"]);
        expect((await s.audit.find({ limit: 10, search: "t2" })).items.map((e) => e.target)).toEqual(["t2"]);
        expect((await s.audit.find({ limit: 10, from: T0 + 1, to: T0 + 2 })).items.map((e) => e.target)).toEqual(["t2", "t1"]);
        expect((await s.audit.find({ limit: 10, search: "t0" })).items[0]).toMatchObject({ actor: "alice", details: { reason: "x" }, actorKind: "user" });
        expect(await s.audit.prune(T0 + 3)).toBe(3);
        expect((await s.audit.find({ limit: 10 })).items).toHaveLength(2);
      }),
    );

    it(
      "records incidents with the batch, finds them by kind and counts them",
      withStore(async (s) => {
        await s.batches.write(
          batch({
            incidents: [
              { at: T0, kind: "agent_lost", agentId: "a1", taskId: null, message: "a1 is offline" },
              { at: T0 + 1, kind: "task_dead", agentId: null, taskId: "t1", message: "t1 died" },
              { at: T0 + 2, kind: "agent_lost", agentId: "a2", taskId: null, message: "a2 is offline" },
            ],
          }),
        );
        const lost = await s.incidents.find({ kind: "agent_lost", limit: 10 });
        expect(lost.items.map((i) => i.message)).toEqual(["a2 is offline", "a1 is offline"]);
        const page = await s.incidents.find({ limit: 1 });
        expect((await s.incidents.find({ limit: 5, cursor: page.nextCursor! })).items.map((i) => i.message)).toEqual(["t1 died", "a1 is offline"]);
        expect(await s.incidents.countsSince(T0 + 1)).toEqual({ task_dead: 1, agent_lost: 1 });
        expect(await s.incidents.prune(T0 + 1)).toBe(1);
      }),
    );

    it(
      "versions templates only when their definition changes, and keeps runs and their steps",
      withStore(async (s) => {
        const v1 = await s.workflows.saveTemplate({ template: template("wf"), source: "name: wf", format: "yaml", createdBy: "alice" });
        expect(v1).toMatchObject({ name: "wf", version: 1, createdBy: "alice" });
        expect((await s.workflows.saveTemplate({ template: template("wf"), source: "name: wf # same", format: "yaml", createdBy: "bob" })).version).toBe(1);
        expect((await s.workflows.saveTemplate({ template: template("wf", "false"), source: "changed", format: "yaml", createdBy: "bob" })).version).toBe(2);
        await s.workflows.saveTemplate({ template: template("another"), source: "x", format: "json", createdBy: "x", builtin: true });
        expect((await s.workflows.findTemplates()).map((t) => [t.name, t.latestVersion, t.builtin])).toEqual([
          ["another", 1, true],
          ["wf", 2, false],
        ]);
        const got = await s.workflows.getTemplate("wf");
        expect(got?.version.version).toBe(2);
        expect(got?.versions.map((v) => v.version)).toEqual([2, 1]);
        expect((await s.workflows.getTemplate("wf", 1))?.version.source).toBe("name: wf");
        expect(await s.workflows.getTemplate("wf", 9)).toBeNull();
        expect(await s.workflows.getTemplate("nope")).toBeNull();

        await s.workflows.createRun(run("r1"), [step("r1", "a", 0), step("r1", "b", 1, { dependsOn: ["a"] })]);
        await s.workflows.createRun(run("r2", { createdAt: T0 + 1, templateName: "another" }), [step("r2", "a", 0)]);
        await s.workflows.saveRun(run("r1", { status: "succeeded", finishedAt: T0 + 9 }), [step("r1", "a", 0, { status: "succeeded", result: { ok: 1 }, decisions: [{ decision: "passed", by: "x", comment: null, at: T0 }] })]);
        const r1 = await s.workflows.getRun("r1");
        expect(r1?.run).toEqual(run("r1", { status: "succeeded", finishedAt: T0 + 9 }));
        expect(r1?.steps.map((x) => [x.id, x.status])).toEqual([
          ["a", "succeeded"],
          ["b", "pending"],
        ]);
        expect(r1?.steps[0]).toMatchObject({ result: { ok: 1 }, decisions: [{ decision: "passed" }] });
        expect((await s.workflows.activeRuns()).map((r) => r.run.id)).toEqual(["r2"]);
        const found = await s.workflows.findRuns({ limit: 1 });
        expect(found.items.map((r) => r.run.id)).toEqual(["r2"]);
        expect((await s.workflows.findRuns({ limit: 5, cursor: found.nextCursor! })).items.map((r) => [r.run.id, r.statuses.sort()])).toEqual([["r1", ["pending", "succeeded"]]]);
        expect((await s.workflows.findRuns({ limit: 5, status: "succeeded" })).items.map((r) => r.run.id)).toEqual(["r1"]);
        expect((await s.workflows.findRuns({ limit: 5, template: "another" })).items.map((r) => r.run.id)).toEqual(["r2"]);
        expect((await s.workflows.findRuns({ limit: 5, createdFrom: T0 + 1, createdTo: T0 + 2 })).items.map((r) => r.run.id)).toEqual(["r2"]);
        expect((await s.workflows.findRuns({ limit: 5, createdTo: T0 + 1 })).items.map((r) => r.run.id)).toEqual(["r1"]);
      }),
    );

    it(
      "keeps messages, deliveries and acknowledgement watermarks",
      withStore(async (s) => {
        const msg = (id: string, at: number, over: Record<string, unknown> = {}) => ({
          id,
          fromAgentId: "a1",
          fromName: "agent-a1",
          toKind: "agent",
          toValue: "agent-a2",
          threadId: id,
          replyTo: null,
          importance: "normal",
          body: `body ${id}`,
          data: { k: id },
          createdAt: at,
          clientKey: null,
          ...over,
        });
        await s.batches.write(
          batch({
            messages: [msg("m1", T0), msg("m2", T0 + 1, { clientKey: "key-2" }), msg("m3", T0 + 2, { fromAgentId: null, fromName: "alice", toKind: "channel", toValue: "team" })],
            deliveries: [
              { agentId: "a2", seq: 1, messageId: "m1", createdAt: T0 },
              { agentId: "a2", seq: 2, messageId: "m2", createdAt: T0 + 1 },
              { agentId: "a2", seq: 3, messageId: "m3", createdAt: T0 + 2 },
              { agentId: "a3", seq: 1, messageId: "m3", createdAt: T0 + 2 },
            ],
          }),
        );
        await s.batches.write(batch({ acks: [{ agentId: "a2", upTo: 2, at: T0 + 5 }] }));
        // A late, lower ack never moves the watermark back.
        await s.batches.write(batch({ acks: [{ agentId: "a2", upTo: 1, at: T0 + 6 }] }));
        const boxes = await s.messages.mailboxes();
        expect(Object.fromEntries(boxes.lastSeq)).toEqual({ a2: 3, a3: 1 });
        expect(boxes.unacked.map((u) => [u.agentId, u.seq, u.message.id])).toEqual([
          ["a2", 3, "m3"],
          ["a3", 1, "m3"],
        ]);
        expect(boxes.unacked[0].message).toMatchObject({ body: "body m3", data: { k: "m3" }, createdAt: T0 + 2 });
        expect((await s.messages.conversation({ agentId: "a2", limit: 10 })).map((m) => [m.id, m.recipients])).toEqual([
          ["m1", 1],
          ["m2", 1],
          ["m3", 2],
        ]);
        expect((await s.messages.conversation({ channel: "team", limit: 10 })).map((m) => m.id)).toEqual(["m3"]);
        expect(await s.messages.recentKeys(T0)).toEqual([{ sender: "a1", key: "key-2", messageId: "m2", threadId: "m2", recipientIds: ["a2"] }]);
      }),
    );

    it(
      "adds rollup increments to what is stored and reads them back by range, dimension and key",
      withStore(async (s) => {
        const inc = (n: number, wait: number) => {
          const c = emptyCounters();
          c.submitted = n;
          c.started = n;
          c.queueWaitMs = wait * n;
          observe(c.queueWait, wait, n);
          c.busyMs = 1.5 * n;
          return c;
        };
        const key = (bucket: number, dim: "all" | "agent", k: string) => ({ granularity: "minute" as const, bucket, dim, key: k });
        await s.batches.write(batch({ rollups: [{ key: key(T0, "all", "*"), counters: inc(2, 30) }, { key: key(T0, "agent", "a1"), counters: inc(1, 30) }] }));
        await s.batches.write(batch({ rollups: [{ key: key(T0, "all", "*"), counters: inc(3, 3_000) }, { key: key(T0 + 60_000, "all", "*"), counters: inc(1, 5) }] }));
        const rows = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 120_000, dims: ["all"] });
        expect(rows.map((r) => [r.bucket, r.key, r.counters.submitted])).toEqual([
          [T0, "*", 5],
          [T0 + 60_000, "*", 1],
        ]);
        expect(rows[0].counters.queueWaitMs).toBe(9_060);
        expect(rows[0].counters.busyMs).toBeCloseTo(7.5);
        expect(rows[0].counters.queueWait[bucketOf(30)]).toBe(2);
        expect(rows[0].counters.queueWait[bucketOf(3_000)]).toBe(3);
        expect(await s.insight.rollups({ granularity: "minute", from: T0 + 60_000, to: T0 + 120_000, dims: ["all"] })).toHaveLength(1);
        expect(await s.insight.rollups({ granularity: "hour", from: T0, to: T0 + 120_000, dims: ["all"] })).toHaveLength(0);
        const agents = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 120_000, dims: ["agent"], keys: ["a1"] });
        expect(agents.map((r) => r.counters.submitted)).toEqual([1]);
        expect(await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 120_000, dims: ["agent"], keys: ["a2"] })).toEqual([]);
        // Summed by the engine into points two minutes wide, with or without the histograms.
        await s.batches.write(batch({ rollups: [{ key: key(T0 + 120_000, "all", "*"), counters: inc(4, 40) }] }));
        const points = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 180_000, dims: ["all", "agent"], stepMs: 120_000 });
        expect(points.map((r) => [r.bucket, r.dim, r.key, r.counters.submitted])).toEqual([
          [T0, "agent", "a1", 1],
          [T0, "all", "*", 6],
          [T0 + 120_000, "all", "*", 4],
        ]);
        expect(points[1].counters.queueWaitMs).toBe(9_065);
        expect(points[1].counters.queueWait[bucketOf(3_000)]).toBe(3);
        const light = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 180_000, dims: ["all"], stepMs: 180_000, histograms: false });
        expect(light.map((r) => [r.bucket, r.counters.submitted, r.counters.queueWait.some((n) => n > 0)])).toEqual([[T0, 10, false]]);
        // Only busy points: busy 1.5 ms per task against 20 ms offered in the first minute only.
        const offered = emptyCounters();
        offered.availMs = 20;
        await s.batches.write(batch({ rollups: [{ key: key(T0, "all", "*"), counters: offered }] }));
        // A row without histograms (offered time) adds its counters and keeps the stored buckets;
        // one that starts a row, then one with histograms onto it, sum as ever.
        const [afterBare] = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 60_000, dims: ["all"] });
        expect([afterBare.counters.availMs, afterBare.counters.submitted, afterBare.counters.queueWait[bucketOf(3_000)]]).toEqual([20, 5, 3]);
        await s.batches.write(batch({ rollups: [{ key: key(T0, "agent", "a9"), counters: offered }] }));
        await s.batches.write(batch({ rollups: [{ key: key(T0, "agent", "a9"), counters: inc(2, 30) }] }));
        const [a9] = await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 60_000, dims: ["agent"], keys: ["a9"] });
        expect([a9.counters.availMs, a9.counters.submitted, a9.counters.queueWait[bucketOf(30)]]).toEqual([20, 2, 2]);
        const busyAt = (minUtilisation: number, stepMs?: number) => s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 180_000, dims: ["all"], stepMs, histograms: false, minUtilisation }).then((rs) => rs.map((r) => r.bucket));
        expect(await busyAt(0.3)).toEqual([T0]);
        expect(await busyAt(0.5)).toEqual([]);
        expect(await busyAt(0.3, 120_000)).toEqual([T0]);
        expect(await busyAt(0.5, 120_000)).toEqual([]);
      }),
    );

    it(
      "keeps error groups as last written and occurrences newest first",
      withStore(async (s) => {
        const group = (id: string, count: number, status: "open" | "resolved" = "open") => ({
          id,
          title: `boom ${id}`,
          sample: "boom 1",
          sampleLog: [{ stream: "stderr", line: "at line 3" }],
          firstSeen: T0,
          lastSeen: T0 + count,
          count,
          status,
          statusBy: status === "resolved" ? "alice" : null,
          statusAt: status === "resolved" ? T0 + 5 : null,
          reopenedAt: null,
        });
        const occ = (groupId: string, at: number) => ({ groupId, taskId: `t${at}`, attempt: 1, at, agentId: "a1", agentName: "agent-a1", agentVersion: "1.2", capability: "shell", template: "wf@1", labels: ["region=eu"], cpuPct: 97.5, memPct: null, message: "boom" });
        await s.batches.write(batch({ errorGroups: [group("g1", 1), group("g2", 1)], errorOccurrences: [occ("g1", T0), occ("g2", T0 + 1)] }));
        await s.batches.write(batch({ errorGroups: [group("g1", 2, "resolved")], errorOccurrences: [occ("g1", T0 + 2)] }));
        const groups = await s.insight.errorGroups();
        expect(groups.map((g) => [g.id, g.count, g.status])).toEqual([
          ["g1", 2, "resolved"],
          ["g2", 1, "open"],
        ]);
        expect(groups[0].sampleLog).toEqual([{ stream: "stderr", line: "at line 3" }]);
        expect(groups[0].statusBy).toBe("alice");
        const all = await s.insight.occurrences({ since: T0, limit: 10 });
        expect(all.map((o) => o.at)).toEqual([T0 + 2, T0 + 1, T0]);
        expect(all[0]).toEqual(occ("g1", T0 + 2));
        expect((await s.insight.occurrences({ groupId: "g1", since: T0 + 1, limit: 10 })).map((o) => o.at)).toEqual([T0 + 2]);
        expect(await s.insight.occurrences({ since: T0, limit: 1 })).toHaveLength(1);
      }),
    );

    it(
      "updates workflow statistics read-modify-write and keeps meta values",
      withStore(async (s) => {
        await s.insight.updateWorkflowStats(20_000, "wf@1", (before) => ({ runs: ((before as { runs?: number } | null)?.runs ?? 0) + 1 }));
        await s.insight.updateWorkflowStats(20_000, "wf@1", (before) => ({ runs: ((before as { runs?: number } | null)?.runs ?? 0) + 1 }));
        await s.insight.updateWorkflowStats(20_001, "wf@2", () => ({ runs: 7 }));
        const rows = await s.insight.workflowStats(20_000, 20_000);
        expect(rows).toEqual([{ day: 20_000, template: "wf@1", stats: { runs: 2 } }]);
        expect(await s.insight.workflowStats(19_000, 21_000)).toHaveLength(2);
        expect(await s.insight.meta("simulated")).toBeNull();
        await s.insight.setMeta("simulated", "{\"from\":1}");
        await s.insight.setMeta("simulated", "{\"from\":2}");
        expect(await s.insight.meta("simulated")).toBe("{\"from\":2}");
      }),
    );

    it(
      "prunes history past its retention in small batches, and nothing younger",
      withStore(async (s) => {
        const DAY = 86_400_000;
        const now = T0 + 100 * DAY;
        const minuteRow = (bucket: number) => ({ key: { granularity: "minute" as const, bucket, dim: "all" as const, key: "*" }, counters: { ...emptyCounters(), submitted: 1 } });
        const hourRow = (bucket: number) => ({ key: { granularity: "hour" as const, bucket, dim: "all" as const, key: "*" }, counters: { ...emptyCounters(), submitted: 1 } });
        await s.batches.write(
          batch({
            tasks: [task("ancient", { status: "succeeded", finishedAt: T0 }), task("old", { status: "succeeded", finishedAt: now - 20 * DAY }), task("new", { status: "succeeded", finishedAt: now - DAY }), task("live")],
            history: [{ id: 1, taskId: "ancient", at: T0, type: "submitted", attempt: 0, agentId: null, message: null }],
            logs: [
              { id: 1, taskId: "old", attempt: 1, at: T0, stream: "stdout", line: "a" },
              { id: 2, taskId: "old", attempt: 1, at: T0, stream: "stdout", line: "b" },
              { id: 3, taskId: "new", attempt: 1, at: T0, stream: "stdout", line: "c" },
              { id: 4, taskId: "live", attempt: 1, at: T0, stream: "stdout", line: "d" },
            ],
            samples: [
              { agentId: "a1", at: now - 8 * DAY, cpu: 1, memoryMb: 1 },
              { agentId: "a1", at: now - DAY, cpu: 1, memoryMb: 1 },
            ],
            agents: [agentRow("a1")],
            rollups: [minuteRow(now - 3 * DAY), minuteRow(now - 60_000), hourRow(now - 3 * DAY), hourRow(now - 500 * DAY)],
          }),
        );
        const retention = { logsMs: 14 * DAY, tasksMs: 90 * DAY, samplesMs: 7 * DAY, minuteRollupsMs: 2 * DAY, rollupsMs: 400 * DAY };
        // One row per table per call: the first call takes one of the two old logs.
        await s.insight.prune(retention, now, 1);
        expect(await s.tasks.logs("old", 10)).toHaveLength(1);
        while ((await s.insight.prune(retention, now, 1)) > 0);
        expect(await s.tasks.logs("old", 10)).toEqual([]);
        expect(await s.tasks.logs("new", 10)).toHaveLength(1);
        expect(await s.tasks.logs("live", 10)).toHaveLength(1);
        expect(await s.agents.samples("a1", 0)).toHaveLength(1);
        expect(await s.tasks.get("ancient")).toBeNull();
        expect(await s.tasks.events("ancient", 10)).toEqual([]);
        expect(await s.tasks.get("old")).not.toBeNull();
        expect(await s.tasks.get("live")).not.toBeNull();
        expect((await s.insight.rollups({ granularity: "minute", from: 0, to: now, dims: ["all"] })).map((r) => r.bucket)).toEqual([now - 60_000]);
        expect((await s.insight.rollups({ granularity: "hour", from: 0, to: now, dims: ["all"] })).map((r) => r.bucket)).toEqual([now - 3 * DAY]);
      }),
    );

    it(
      "keeps alert rules, instance state with its history, silences, channels and deliveries",
      withStore(async (s) => {
        const [offline, dead] = builtInRules();
        await s.alerts.saveRule({ ...offline, builtIn: true, createdBy: null, updatedAt: T0 });
        await s.alerts.saveRule({ ...dead, name: "Dead", labels: { team: "ops" }, builtIn: false, createdBy: "alice", updatedAt: T0 });
        await s.alerts.saveRule({ ...dead, name: "Dead", labels: { team: "ops" }, forMs: 60_000, builtIn: false, createdBy: "alice", updatedAt: T0 + 1 });
        const rules = await s.alerts.rules();
        expect(rules.map((r) => [r.id, r.builtIn, r.forMs])).toEqual([
          [offline.id, true, 0],
          [dead.id, false, 60_000],
        ]);
        expect(rules[1].params).toEqual(dead.params);
        expect(rules[1].labels).toEqual({ team: "ops" });

        const first = stepRule(offline, [], [{ labels: { alertname: "AgentOffline", agent: "b-1" }, value: 2, summary: "b-1 offline" }], [], T0);
        await s.alerts.saveEvaluation({ upserts: first.instances, removed: [], transitions: first.transitions });
        const acked = { ...first.instances[0], acknowledged: { by: "bob", at: T0 + 5, comment: "looking" } };
        const second = stepRule(offline, [acked], [], [], T0 + 1000);
        await s.alerts.saveEvaluation({ upserts: second.instances, removed: [], transitions: second.transitions });
        const [inst] = await s.alerts.instances();
        expect(inst).toEqual(second.instances[0]);
        expect(inst.phase).toBe("resolved");
        expect(inst.acknowledged).toEqual({ by: "bob", at: T0 + 5, comment: "looking" });
        const history = await s.alerts.history({ limit: 10 });
        expect(history.map((t) => `${t.from}→${t.to}`)).toEqual(["firing→resolved", "pending→firing", "inactive→pending"]);
        expect(history[0].labels).toEqual({ alertname: "AgentOffline", agent: "b-1" });
        expect((await s.alerts.history({ limit: 10, before: history[0].id })).map((t) => t.to)).toEqual(["firing", "pending"]);
        expect(await s.alerts.history({ limit: 10, fingerprint: "nope" })).toEqual([]);
        expect((await s.alerts.history({ limit: 10, since: T0 + 1000 })).map((t) => t.to)).toEqual(["resolved"]);
        expect((await s.alerts.history({ limit: 10, until: T0 + 1000 })).map((t) => t.to)).toEqual(["firing", "pending"]);
        await s.alerts.saveEvaluation({ upserts: [], removed: [inst.fingerprint], transitions: [] });
        expect(await s.alerts.instances()).toEqual([]);

        // Deleting a rule takes its instances with it.
        await s.alerts.saveEvaluation({ upserts: first.instances, removed: [], transitions: [] });
        expect(await s.alerts.deleteRule(offline.id)).toBe(true);
        expect(await s.alerts.deleteRule(offline.id)).toBe(false);
        expect(await s.alerts.instances()).toEqual([]);

        const matchers = [{ name: "agent", op: "=~" as const, value: "b-.*" }];
        await s.alerts.saveSilence({ id: "s1", matchers, startsAt: T0, endsAt: T0 + 3_600_000, comment: "maintenance", createdBy: "alice", createdAt: T0 });
        await s.alerts.saveSilence({ id: "s1", matchers, startsAt: T0, endsAt: T0 + 60_000, comment: "maintenance", createdBy: "alice", createdAt: T0 });
        expect(await s.alerts.silences()).toEqual([{ id: "s1", matchers, startsAt: T0, endsAt: T0 + 60_000, comment: "maintenance", createdBy: "alice", createdAt: T0 }]);

        const channel = { id: "c1", name: "ops hook", kind: "webhook" as const, config: { url: "http://127.0.0.1:1/hook", secret: "s" }, matchers, minSeverity: "warning" as const, groupBy: ["agent"], enabled: true, createdBy: "alice", updatedAt: T0 };
        await s.alerts.saveChannel(channel);
        expect(await s.alerts.channels()).toEqual([channel]);
        await s.alerts.recordDelivery({ channelId: "c1", groupKey: "g", attempt: 1, at: T0, ok: false, status: 503, error: "HTTP 503", alerts: 2, durationMs: 12.5 });
        await s.alerts.recordDelivery({ channelId: "c1", groupKey: "g", attempt: 2, at: T0 + 1000, ok: true, status: 200, error: null, alerts: 2, durationMs: 3 });
        await s.alerts.recordDelivery({ channelId: "c2", groupKey: "h", attempt: 1, at: T0 + 2000, ok: true, status: 200, error: null, alerts: 1, durationMs: 3 });
        expect((await s.alerts.deliveries({ channelId: "c1", limit: 10 })).map((d) => [d.attempt, d.ok, d.status, d.error])).toEqual([
          [2, true, 200, null],
          [1, false, 503, "HTTP 503"],
        ]);
        expect(await s.alerts.deliveries({ limit: 1 })).toHaveLength(1);
        expect(await s.alerts.deleteChannel("c1")).toBe(true);
        expect(await s.alerts.channels()).toEqual([]);
      }),
    );

    it(
      "keeps pools (names unique), their instances, and decisions newest first; a pool goes with its own",
      withStore(async (s) => {
        const policy = { min: 0, max: 5, targetBacklogPerSlot: 1, tolerance: 0.1, up: { agents: 4, percent: 100, periodMs: 15_000, stabilizationMs: 0 }, down: { agents: 1, percent: 50, periodMs: 30_000, stabilizationMs: 120_000 }, cooldownMs: 60_000, activationBacklog: 0, predictive: { enabled: false, leadMs: 600_000 } };
        const pool = { id: "p1", name: "builders", provider: "local" as const, card: { capabilities: [{ name: "build", level: 2 }], labels: { pool: "builders" }, slots: 2 }, launch: { template: [], env: { A: "1" }, drainTimeoutMs: 30_000 }, policy, enabled: true, tokenId: "tok1", tokenSecret: "sb_x", createdBy: "alice", updatedAt: T0 };
        await s.pools.savePool(pool);
        await s.pools.savePool({ ...pool, policy: { ...policy, max: 8 }, updatedAt: T0 + 1 });
        expect(await s.pools.pools()).toEqual([{ ...pool, policy: { ...policy, max: 8 }, updatedAt: T0 + 1 }]);
        await expect(s.pools.savePool({ ...pool, id: "p2" })).rejects.toThrow(/name|Unique/i);
        const inst = { name: "builders-1", poolId: "p1", pid: 4242, state: "running" as const, startedAt: T0, crashes: 0 };
        await s.pools.saveInstance(inst);
        await s.pools.saveInstance({ ...inst, name: "builders-2", pid: null, state: "starting" });
        await s.pools.saveInstance({ ...inst, crashes: 2 });
        expect(await s.pools.instances()).toEqual([{ ...inst, crashes: 2 }, { ...inst, name: "builders-2", pid: null, state: "starting" }]);
        await s.pools.deleteInstance("builders-2");
        const d = { poolId: "p1", at: T0, from: 0, to: 3, wanted: 3, reactive: 3, predictive: null, backlog: 6, busySlots: 0, forecastSlots: null, rule: "reactive", reason: "backlog 6 tasks" };
        await s.pools.recordDecision(d);
        await s.pools.recordDecision({ ...d, at: T0 + 1000, from: 3, to: 5, predictive: 5, forecastSlots: 9.5, rule: "predictive" });
        const ds = await s.pools.decisions({ poolId: "p1", limit: 10 });
        expect(ds.map((x) => [x.from, x.to, x.rule, x.forecastSlots])).toEqual([
          [3, 5, "predictive", 9.5],
          [0, 3, "reactive", null],
        ]);
        expect(ds[0].id).toBeGreaterThan(ds[1].id);
        expect((await s.pools.decisions({ poolId: "p1", limit: 10, since: T0 + 1 })).map((x) => x.to)).toEqual([5]);
        expect(await s.pools.pruneDecisions(T0 + 1)).toBe(1);
        expect(await s.pools.deletePool("p1")).toBe(true);
        expect(await s.pools.instances()).toEqual([]);
        expect(await s.pools.decisions({ poolId: "p1", limit: 10 })).toEqual([]);
        expect(await s.pools.deletePool("p1")).toBe(false);
      }),
    );

    it(
      "a batch may name a task, an agent or an error group twice (the last wins) and a rollup key twice (both add)",
      withStore(async (s) => {
        // SQLite applies a multi-row upsert row by row; PostgreSQL refuses one that touches a row twice.
        const key = { granularity: "minute" as const, bucket: T0, dim: "all" as const, key: "*" };
        const one = () => ({ ...emptyCounters(), submitted: 1 });
        const group = (count: number) => ({ id: "g1", title: "boom", sample: "boom", sampleLog: [], firstSeen: T0, lastSeen: T0 + count, count, status: "open" as const, statusBy: null, statusAt: null, reopenedAt: null });
        await s.batches.write(
          batch({
            tasks: [task("a"), task("a", { status: "running", attempt: 1, agentId: "ag1" })],
            agents: [agentRow("x"), agentRow("x", { cpu: 99 })],
            errorGroups: [group(1), group(2)],
            rollups: [{ key, counters: one() }, { key, counters: one() }],
          }),
        );
        expect(await s.tasks.get("a")).toEqual(task("a", { status: "running", attempt: 1, agentId: "ag1" }));
        expect((await s.agents.all()).map((a) => [a.id, a.cpu])).toEqual([["x", 99]]);
        expect((await s.insight.errorGroups()).map((g) => g.count)).toEqual([2]);
        expect((await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 60_000, dims: ["all"] })).map((r) => r.counters.submitted)).toEqual([2]);
      }),
    );

    it(
      "keeps times to the millisecond and JSON text exactly (unicode, escapes, the largest safe integer)",
      withStore(async (s) => {
        const payload = { s: "é ✓ 😀 \"quoted\" back\\slash \u0000 nul", n: Number.MAX_SAFE_INTEGER, f: 0.1, nested: [{ a: null }, [], {}] };
        const t = task("precise", { createdAt: T0 + 123, updatedAt: T0 + 999, notBefore: T0 + 1, payload, result: { ok: "ünïcödé" }, submittedBy: { kind: "user", name: "zoë", role: "operator", by: null } });
        await s.batches.write(batch({ tasks: [t] }));
        expect(await s.tasks.get("precise")).toEqual(t);
        expect((await s.tasks.find({ limit: 10, createdFrom: T0 + 123, createdTo: T0 + 124 })).items.map((x) => x.id)).toEqual(["precise"]);
        expect((await s.tasks.find({ limit: 10, createdFrom: T0 + 124 })).items).toEqual([]);
      }),
    );

    it(
      "stores a log line and a title holding a NUL character (PostgreSQL's text cannot: there it reads back as U+FFFD)",
      withStore(async (s) => {
        const title = "binary\u0000title";
        const line = "\u0000\u0001 raw output \u0000";
        await s.batches.write(batch({ tasks: [task("nul", { title })], logs: [{ id: 1, taskId: "nul", attempt: 1, at: T0, stream: "stdout", line }] }));
        const back = (x: string | undefined) => x?.replaceAll("\uFFFD", "\u0000");
        expect(back((await s.tasks.get("nul"))?.title)).toBe(title);
        expect(back((await s.tasks.logs("nul", 10))[0]?.line)).toBe(line);
      }),
    );

    it(
      "writes batches that overlap in time each whole, and increments of one rollup row from all of them",
      withStore(async (s) => {
        const key = { granularity: "minute" as const, bucket: T0, dim: "all" as const, key: "*" };
        await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            s.batches.write(batch({ tasks: [task(`c${i}`, { createdAt: T0 + i })], history: [{ id: i + 1, taskId: `c${i}`, at: T0 + i, type: "submitted", attempt: 0, agentId: null, message: null }], rollups: [{ key, counters: { ...emptyCounters(), submitted: 1 } }] })),
          ),
        );
        expect((await s.tasks.find({ limit: 10 })).items).toHaveLength(6);
        expect(await s.tasks.maxIds()).toEqual({ event: 6, log: 0 });
        expect((await s.insight.rollups({ granularity: "minute", from: T0, to: T0 + 60_000, dims: ["all"] }))[0].counters.submitted).toBe(6);
      }),
    );

    it(
      "keeps report schedules (names unique) and reports, newest first, their data apart, pruned by age",
      withStore(async (s) => {
        const daily = { id: "daily", name: "Daily fleet report", cron: "0 8 * * *", timeZone: "Europe/Berlin", period: "day" as const, catchUp: "skip" as const, channelIds: ["c1"], enabled: true, builtIn: true, through: null, createdBy: null, updatedAt: T0 };
        await s.reports.saveSchedule(daily);
        await s.reports.saveSchedule({ ...daily, through: T0 + 5, updatedAt: T0 + 5 });
        expect(await s.reports.schedules()).toEqual([{ ...daily, through: T0 + 5, updatedAt: T0 + 5 }]);
        await expect(s.reports.saveSchedule({ ...daily, id: "other" })).rejects.toThrow(/name|Unique/i);
        const r = (id: string, createdAt: number) => ({ id, title: `Report ${id}`, scheduleId: id === "r1" ? "daily" : null, from: createdAt - 86_400_000, to: createdAt, createdAt, createdBy: id === "r1" ? null : "alice", data: JSON.stringify({ id }) });
        await s.reports.saveReport(r("r1", T0));
        await s.reports.saveReport(r("r2", T0 + 1000));
        await s.reports.saveReport(r("r3", T0 + 2000));
        const listed = await s.reports.reports({ limit: 2 });
        expect(listed).toEqual([r("r3", T0 + 2000), r("r2", T0 + 1000)].map(({ data: _d, ...x }) => x));
        expect((await s.reports.reports({ limit: 5, before: T0 + 1000 })).map((x) => x.id)).toEqual(["r1"]);
        expect(await s.reports.report("r1")).toEqual(r("r1", T0));
        expect(await s.reports.report("nope")).toBeNull();
        expect(await s.reports.pruneReports(T0 + 1500)).toBe(2);
        expect((await s.reports.reports({ limit: 5 })).map((x) => x.id)).toEqual(["r3"]);
        expect(await s.reports.deleteSchedule("daily")).toBe(true);
        expect(await s.reports.deleteSchedule("daily")).toBe(false);
      }),
    );
  });
}
