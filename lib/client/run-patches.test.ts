import { describe, expect, it } from "vitest";
import { countStatuses, type RunSummary, type StepStatus } from "@/lib/api";
import { flattenRunPages, mergeRun, patchRunPages, runBehind, runMatches, runProgress, type RunPage, type RunRow, type StepRow } from "./run-patches";

const summary = (id: string, createdAt: number, over: Partial<RunSummary> = {}): RunSummary => ({
  id,
  templateName: "release-train",
  templateVersion: 1,
  status: "running",
  params: {},
  failurePolicy: "fail-fast",
  concurrency: 3,
  triggeredBy: "admin",
  error: null,
  createdAt,
  finishedAt: null,
  counts: countStatuses([]),
  total: 0,
  ...over,
});

const step = (id: string, status: StepStatus = "pending", over: Partial<StepRow> = {}): StepRow => ({
  id,
  description: null,
  templateStepId: id,
  type: "task",
  title: id,
  status,
  dependsOn: [],
  taskId: null,
  agentId: null,
  agentName: null,
  attempt: 0,
  result: null,
  error: null,
  startedAt: null,
  finishedAt: null,
  decisions: [],
  approvalDeadline: null,
  ...over,
});

const run = (steps: StepRow[], over: Partial<RunRow> = {}): RunRow => {
  const { counts: _c, total: _t, ...rest } = summary("r1", 1);
  return { ...rest, steps, ...over };
};

const pages = (...p: RunPage[]) => ({ pages: p, pageParams: p.map((_, i) => (i === 0 ? undefined : `c${i}`)) });

describe("[dashboard cache]: run lists", () => {
  it("replaces known runs in place and keeps untouched ones", () => {
    const a = summary("a", 20);
    const b = summary("b", 10);
    const data = pages({ items: [a, b], nextCursor: null });
    const next = patchRunPages(data, [summary("b", 10, { status: "succeeded", finishedAt: 30 })], { status: "running" });
    expect(next.pages[0].items.map((r) => [r.id, r.status])).toEqual([
      ["a", "running"],
      ["b", "succeeded"],
    ]);
    expect(next.pages[0].items[0]).toBe(a);
  });

  it("returns the same data for an identical push", () => {
    const data = pages({ items: [summary("a", 20)], nextCursor: null });
    expect(patchRunPages(data, [summary("a", 20)])).toBe(data);
  });

  it("inserts new matching runs newest first, only inside the loaded window", () => {
    const data = pages({ items: [summary("a", 20)], nextCursor: "x" });
    const next = patchRunPages(data, [summary("new", 30), summary("old", 5), summary("other", 40, { templateName: "x" })], { template: "release-train" });
    expect(next.pages[0].items.map((r) => r.id)).toEqual(["new", "a"]);
  });

  it("matches search on id prefix, template and trigger, ignoring case", () => {
    expect(runMatches(summary("wr_abc", 1), { search: "WR_A" })).toBe(true);
    expect(runMatches(summary("wr_abc", 1), { search: "train" })).toBe(true);
    expect(runMatches(summary("wr_abc", 1, { triggeredBy: "ci-bot" }), { search: "bot" })).toBe(true);
    expect(runMatches(summary("wr_abc", 1), { search: "abc" })).toBe(false);
  });

  it("flattens pages without duplicates", () => {
    expect(flattenRunPages([{ items: [summary("b", 2), summary("a", 1)], nextCursor: "c" }, { items: [summary("a", 1)], nextCursor: null }]).map((r) => r.id)).toEqual(["b", "a"]);
  });
});

describe("[dashboard cache]: one run", () => {
  it("keeps unchanged step objects and replaces changed ones", () => {
    const prev = run([step("a", "running", { startedAt: 1 }), step("b")]);
    const next = mergeRun(prev, run([step("a", "succeeded", { startedAt: 1, finishedAt: 2 }), step("b")]));
    expect(next.steps[0]).not.toBe(prev.steps[0]);
    expect(next.steps[1]).toBe(prev.steps[1]);
  });

  it("returns the previous run when nothing changed", () => {
    const prev = run([step("a", "running", { result: { x: 1 } })]);
    expect(mergeRun(prev, run([step("a", "running", { result: { x: 1 } })]))).toBe(prev);
  });

  it("sees progress move forward", () => {
    const before = run([step("a", "running", { attempt: 1 }), step("b")]);
    const after = run([step("a", "succeeded", { attempt: 1 }), step("b", "queued")]);
    expect(runProgress(after)).toBeGreaterThan(runProgress(before));
    expect(runProgress(run([step("a", "succeeded")], { status: "succeeded" }))).toBeGreaterThan(runProgress(after));
  });

  it("tells when a cached run is behind a pushed summary of it", () => {
    const cached = run([step("a", "succeeded"), step("b", "queued")]);
    const same = summary("r1", 1, { counts: countStatuses(["succeeded", "queued"]), total: 2 });
    expect(runBehind(cached, same)).toBe(false);
    expect(runBehind(cached, { ...same, counts: countStatuses(["succeeded", "running"]) })).toBe(true);
    expect(runBehind(cached, { ...same, status: "canceled" })).toBe(true);
  });
});
