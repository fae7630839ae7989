import { describe, expect, it } from "vitest";
import type { TaskRow } from "./cache-patches";
import { flattenDeadLetterPages, patchDeadLetterPages, type DeadLetterPage, type DeadLetterRow } from "./dead-letter-patches";

const task = (id: string, over: Partial<TaskRow> = {}): TaskRow => ({
  id,
  runId: null,
  stepId: null,
  submittedBy: null,
  title: `task ${id}`,
  command: "true",
  requirements: [],
  labelSelector: {},
  priority: 0,
  strategy: null,
  status: "dead",
  attempt: 1,
  maxAttempts: 3,
  agentId: null,
  agentName: null,
  progress: null,
  error: "queue timeout: no agent took it within 1.5 s",
  timeoutMs: null,
  progressTimeoutMs: null,
  queueTimeoutMs: 1500,
  idempotencyKey: null,
  createdAt: 1,
  assignedAt: null,
  startedAt: null,
  finishedAt: 100,
  notBefore: null,
  leaseExpiresAt: null,
  ...over,
});

const row = (t: TaskRow): DeadLetterRow => ({ task: t, attempts: [] });
const pages = (...p: DeadLetterPage[]) => ({ pages: p, pageParams: p.map((_, i) => (i === 0 ? null : `c${i}`)) });

describe("[dashboard cache]: dead letters", () => {
  it("drops a requeued task at once and needs no refetch for it", () => {
    const other: DeadLetterPage = { items: [row(task("c"))], nextCursor: null };
    const data = pages({ items: [row(task("a")), row(task("b"))], nextCursor: "b" }, other);
    const { data: next, refetch } = patchDeadLetterPages(data, [task("a", { status: "queued", finishedAt: null })]);
    expect(flattenDeadLetterPages(next.pages).map((r) => r.task.id)).toEqual(["b", "c"]);
    expect(next.pages[1]).toBe(other);
    expect(refetch).toBe(false);
  });

  it("asks for a refetch when a task dies that the pages lack, or dies again", () => {
    const data = pages({ items: [row(task("a"))], nextCursor: null });
    expect(patchDeadLetterPages(data, [task("z")]).refetch).toBe(true);
    expect(patchDeadLetterPages(data, [task("a", { finishedAt: 200 })]).refetch).toBe(true);
    const same = patchDeadLetterPages(data, [task("a"), task("q", { status: "running" })]);
    expect(same).toEqual({ data, refetch: false });
    expect(same.data).toBe(data);
  });
});
