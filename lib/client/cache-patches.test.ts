import { describe, expect, it } from "vitest";
import type { AgentView, TaskLogLine } from "@/lib/api";
import { appendLogs, appendSamples, flattenTaskPages, mergeEvents, patchAgentList, patchTaskPages, taskMatches, type TaskPage, type TaskRow } from "./cache-patches";

const agent = (name: string, over: Partial<AgentView> = {}): AgentView => ({
  id: `a-${name}`,
  name,
  kind: "sdk",
  status: "online",
  capabilities: [],
  labels: {},
  slots: 1,
  slotsUsed: 0,
  currentTasks: [],
  version: "",
  cpu: null,
  memoryMb: null,
  lastHeartbeatAt: null,
  connectedAt: null,
  health: "healthy",
  healthReason: null,
  draining: false,
  acceptFrom: [],
  polling: false,
  samples: [],
  ...over,
});

const task = (id: string, createdAt: number, over: Partial<TaskRow> = {}): TaskRow => ({
  id,
  runId: null,
  stepId: null,
  submittedBy: null,
  title: `task ${id}`,
  command: null,
  requirements: [],
  labelSelector: {},
  priority: 0,
  strategy: null,
  status: "queued",
  attempt: 0,
  maxAttempts: 3,
  agentId: null,
  agentName: null,
  progress: null,
  error: null,
  timeoutMs: null,
  progressTimeoutMs: null,
  queueTimeoutMs: null,
  idempotencyKey: null,
  createdAt,
  assignedAt: null,
  startedAt: null,
  finishedAt: null,
  notBefore: null,
  leaseExpiresAt: null,
  ...over,
});

const pages = (...p: TaskPage[]) => ({ pages: p, pageParams: p.map((_, i) => (i === 0 ? undefined : `c${i}`)) });

describe("[dashboard cache]: agents", () => {
  it("replaces changed agents in place and keeps the identity of the others", () => {
    const list = [agent("a"), agent("b"), agent("c")];
    const b2 = agent("b", { status: "busy" });
    const next = patchAgentList(list, [b2]);
    expect(next.map((a) => a.status)).toEqual(["online", "busy", "online"]);
    expect(next[0]).toBe(list[0]);
    expect(next[1]).toBe(b2);
  });

  it("inserts new agents in name order and drops those leaving a status filter", () => {
    const list = [agent("a"), agent("c")];
    expect(patchAgentList(list, [agent("b")]).map((a) => a.name)).toEqual(["a", "b", "c"]);
    expect(patchAgentList(list, [agent("a", { status: "offline" })], { status: "online" }).map((a) => a.name)).toEqual(["c"]);
  });

  it("returns the same list when nothing changed", () => {
    const list = [agent("a")];
    expect(patchAgentList(list, [list[0]])).toBe(list);
    expect(patchAgentList(list, [agent("z", { status: "offline" })], { status: "online" })).toBe(list);
  });

  it("appends only newer samples and keeps an hour", () => {
    const s = appendSamples([{ at: 1000, cpu: 1, memoryMb: 1 }], [{ at: 1000, cpu: 1, memoryMb: 1 }, { at: 2000, cpu: 2, memoryMb: 2 }], 500);
    expect(s).toEqual([{ at: 2000, cpu: 2, memoryMb: 2 }]);
  });
});

describe("[dashboard cache]: task lists", () => {
  it("updates known tasks where they are, even if they stop matching", () => {
    const data = pages({ items: [task("2", 20), task("1", 10)], nextCursor: null });
    const next = patchTaskPages(data, [task("1", 10, { status: "running" })], { status: "queued" });
    expect(next.pages[0].items.map((t) => [t.id, t.status])).toEqual([["2", "queued"], ["1", "running"]]);
  });

  it("inserts a new matching task at the top and ignores non-matching ones", () => {
    const data = pages({ items: [task("1", 10)], nextCursor: "x" });
    const next = patchTaskPages(data, [task("3", 30), task("4", 40, { status: "failed" })], { status: "queued" });
    expect(next.pages[0].items.map((t) => t.id)).toEqual(["3", "1"]);
  });

  it("does not insert a task older than the loaded window when more pages exist", () => {
    const data = pages({ items: [task("5", 50)], nextCursor: "x" });
    expect(patchTaskPages(data, [task("1", 10)])).toBe(data);
    const all = pages({ items: [task("5", 50)], nextCursor: null });
    expect(patchTaskPages(all, [task("1", 10)]).pages[0].items.map((t) => t.id)).toEqual(["5", "1"]);
  });

  it("matches search against id, title and command, ignoring case", () => {
    expect(taskMatches(task("abc", 1, { title: "Build Docs" }), { search: "docs" })).toBe(true);
    expect(taskMatches(task("abc", 1, { command: "make test" }), { search: "MAKE" })).toBe(true);
    expect(taskMatches(task("abc", 1), { search: "zzz" })).toBe(false);
  });

  it("flattens pages without duplicates", () => {
    expect(flattenTaskPages([{ items: [task("2", 2), task("1", 1)], nextCursor: "c" }, { items: [task("1", 1), task("0", 0)], nextCursor: null }]).map((t) => t.id)).toEqual(["2", "1", "0"]);
  });
});

describe("[dashboard cache]: task detail", () => {
  const line = (at: number, text: string): TaskLogLine => ({ taskId: "t", attempt: 1, at, stream: "stdout", line: text });

  it("appends log lines once and caps the total", () => {
    const a = [line(1, "a"), line(2, "b")];
    expect(appendLogs(a, [line(2, "b")])).toBe(a);
    expect(appendLogs(a, [line(2, "b"), line(3, "c")]).map((l) => l.line)).toEqual(["a", "b", "c"]);
    expect(appendLogs(a, [line(3, "c")], 2).map((l) => l.line)).toEqual(["b", "c"]);
  });

  it("merges events by id in order", () => {
    const e = (id: number) => ({ id, taskId: "t", at: id, type: "progress" as const, attempt: 1, agentId: null, agentName: null, message: null });
    const a = [e(1), e(3)];
    expect(mergeEvents(a, [e(3)])).toBe(a);
    expect(mergeEvents(a, [e(2)]).map((x) => x.id)).toEqual([1, 2, 3]);
  });
});
