import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { TaskEventView } from "@/lib/api";
import { DomainBus } from "@/server/coordinator/events";
import type { TaskState } from "@/server/core/scheduler";
import { histogramOf, parsePrometheusText, valueOf } from "@/testing/prometheus-text";
import { CapabilityLabels, routeLabel } from "./bounded-labels";
import { TaskMetrics } from "./task-metrics";

/** A coordinator as far as TaskMetrics sees it: tasks changed, then their history, per batch. */
function harness() {
  const bus = new DomainBus();
  const live = new Map<string, TaskState>();
  const registry = new Registry();
  const metrics = new TaskMetrics({ registry, bus, coordinator: { liveTask: (id) => live.get(id) }, capabilities: new CapabilityLabels(2) });
  let id = 0;
  const batch = (t: TaskState, ...events: [type: TaskEventView["type"], at: number][]) => {
    if (["succeeded", "failed", "canceled", "dead"].includes(t.status)) live.delete(t.id);
    else live.set(t.id, t);
    bus.emit("tasksChanged", [t]);
    bus.emit("taskEventsRecorded", events.map(([type, at]) => ({ id: ++id, taskId: t.id, at, type, attempt: t.attempt, agentId: "ag", agentName: "a", message: null })));
  };
  const scrape = async () => parsePrometheusText(await registry.metrics());
  return { bus, live, metrics, batch, scrape };
}

const task = (id: string, caps: string[], extra: Partial<TaskState> = {}) =>
  ({ id, requirements: caps.map((name) => ({ name, level: 1 })), status: "queued", attempt: 0, createdAt: 0, queuedAt: 0, notBefore: null, startedAt: null, ...extra }) as TaskState;

describe("[METRICS] task counters and histograms from domain events", () => {
  it("counts one end per life, a wait and a run per attempt that ran, under the first capability", async () => {
    const h = harness();
    const t = task("t1", ["gpu", "python"]);
    h.batch(t, ["submitted", 1_000]);
    Object.assign(t, { status: "running", attempt: 1, startedAt: 1_500 });
    h.batch(t, ["assigned", 1_200], ["started", 1_500]);
    // Fails, retried after a 2 s backoff, runs again and succeeds.
    Object.assign(t, { status: "queued", notBefore: 6_000 });
    h.batch(t, ["attempt_failed", 4_000], ["retry_scheduled", 4_000]);
    Object.assign(t, { status: "running", attempt: 2, startedAt: 6_250, notBefore: null });
    h.batch(t, ["started", 6_250]);
    Object.assign(t, { status: "succeeded" });
    h.batch(t, ["succeeded", 7_250]);
    // A repeat of the same batch's task (published again) without a new end changes nothing.
    h.bus.emit("tasksChanged", [t]);

    const f = await h.scrape();
    expect(valueOf(f, "switchboard_tasks_total", { status: "succeeded", capability: "gpu" })).toBe(1);
    expect(valueOf(f, "switchboard_tasks_total", { status: "succeeded", capability: "python" })).toBeUndefined();
    const wait = histogramOf(f, "switchboard_task_queue_wait_seconds", { capability: "gpu" });
    expect(wait.count).toBe(2);
    expect(wait.sum).toBeCloseTo(0.5 + 0.25); // submit → start, backoff end → start
    const run = histogramOf(f, "switchboard_task_run_seconds", { capability: "gpu" });
    expect(run.count).toBe(2);
    expect(run.sum).toBeCloseTo(2.5 + 1);

    // An operator retry is a new life: it can end again, and counts again.
    Object.assign(t, { status: "queued", attempt: 2, startedAt: null });
    h.batch(t, ["requeued", 9_000]);
    Object.assign(t, { status: "canceled" });
    h.batch(t, ["canceled", 9_500]);
    const g = await h.scrape();
    expect(valueOf(g, "switchboard_tasks_total", { status: "canceled", capability: "gpu" })).toBe(1);
    expect(valueOf(g, "switchboard_tasks_total", { status: "succeeded", capability: "gpu" })).toBe(1);
  });

  it("gives a lost attempt no run time, and waits from the loss", async () => {
    const h = harness();
    const t = task("t2", []);
    h.batch(t, ["submitted", 0]);
    Object.assign(t, { status: "running", attempt: 1, startedAt: 100 });
    h.batch(t, ["started", 100]);
    Object.assign(t, { status: "queued" });
    h.batch(t, ["lease_expired", 5_000]);
    Object.assign(t, { status: "running", attempt: 2, startedAt: 5_400 });
    h.batch(t, ["started", 5_400]);
    Object.assign(t, { status: "dead" });
    h.batch(t, ["lease_expired", 9_000], ["dead", 9_000]);
    const f = await h.scrape();
    expect(valueOf(f, "switchboard_tasks_total", { status: "dead", capability: "_none" })).toBe(1);
    expect(histogramOf(f, "switchboard_task_queue_wait_seconds", { capability: "_none" }).sum).toBeCloseTo(0.1 + 0.4);
    expect(histogramOf(f, "switchboard_task_run_seconds", { capability: "_none" }).count).toBeUndefined();
  });

  it("shows the backlog at scrape time, bounded capabilities, and forgets tasks that left without an end", async () => {
    const h = harness();
    const a = task("a", ["gpu"]);
    const b = task("b", ["cuda"]);
    const c = task("c", ["tpu"]);
    for (const t of [a, b, c]) h.batch(t, ["submitted", 0]);
    let f = await h.scrape();
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "gpu" })).toBe(1);
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "cuda" })).toBe(1);
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "_other" })).toBe(1); // past the bound of 2
    // Taken out of the coordinator without an end (a store refused it): gone, and not counted.
    h.live.delete("a");
    f = await h.scrape();
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "gpu" })).toBe(0);
    // Seeded after a restart: a queued task no event has mentioned yet.
    const d = task("d", ["cuda"]);
    h.live.set("d", d);
    h.metrics.seed(["d", "unknown"]);
    f = await h.scrape();
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "cuda" })).toBe(2);
    h.metrics.close();
    h.batch(b, ["canceled", 1]);
    expect(valueOf(await h.scrape(), "switchboard_tasks_total", { status: "canceled", capability: "cuda" })).toBeUndefined();
  });
});

describe("[METRICS] route labels", () => {
  it("keeps templates and known procedures, folds everything else", () => {
    expect(routeLabel("POST /api/v1/tasks/:id/cancel")).toBe("/api/v1/tasks/:id/cancel");
    expect(routeLabel("GET /api/v1/openapi.json")).toBe("/api/v1/openapi.json");
    expect(routeLabel("trpc tasks.find")).toBe("/api/trpc/tasks.find");
    expect(routeLabel("trpc t_12345.find")).toBe("/api/trpc/_other");
    expect(routeLabel("trpc constructor")).toBe("/api/trpc/_other");
    expect(routeLabel("mcp")).toBe("/mcp");
    expect(routeLabel("metrics")).toBe("/metrics");
    expect(routeLabel("other /api/auth/login")).toBe("/api/auth/login");
    expect(routeLabel("other /api/auth/t_123")).toBe("_other");
    expect(routeLabel("other /api/v1")).toBe("_other");
    expect(routeLabel("other /api")).toBe("_other");
  });
});
