// Task outcomes and latencies for /metrics, from the domain events the coordinator publishes
// after each batch is durable: a scrape never shows an end a crash could take back, and the
// dispatch path pays a few Map operations and one histogram increment per event, nothing more.
//
// The task history (`taskEventsRecorded`) says what happened — each entry is a copy made when it
// happened, and a task's terminal entry is recorded exactly once per life (the scheduler drops
// the task from memory as it ends, so later reports are refused). `tasksChanged` only supplies
// the tasks those entries are about, for their capability and timestamps; the coordinator emits
// it first, in the same call, for the same batch.
//
// Definitions follow the analytics rollups (server/core/insight/recorder.ts), so a p95 from
// Prometheus and one from /analytics agree: queue wait is from when an attempt's task became
// ready (submitted, backoff over, handed back, lease lost) to when an agent started it; run time
// is from start to the attempt's reported end (succeeded, failed, or failed-and-retried). Both
// are per attempt; a lost attempt (lease expired, released, canceled) has no run time.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { TaskEventView } from "@/lib/api";
import { isTerminal } from "@/lib/protocol";
import type { DomainBus } from "@/server/coordinator/events";
import type { TaskState } from "@/server/core/scheduler";
import type { CapabilityLabels } from "./bounded-labels";

/** Seconds; chosen so p95 targets from 10 ms (dispatch) to an hour (long builds) fall on a boundary. */
export const TASK_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

const TERMINAL_EVENTS = new Set(["succeeded", "failed", "canceled", "dead"]);
const RUN_ENDS = new Set(["succeeded", "failed", "attempt_failed"]);
const LOST_ENDS = new Set(["dead", "canceled", "lease_expired", "released", "requeued"]);
const BECOMES_READY = new Set(["released", "requeued", "lease_expired"]);

/** What this module reads of the coordinator. */
export interface LiveTaskSource {
  liveTask(id: string): Readonly<TaskState> | undefined;
}

type Child = { inc(): void } | { observe(v: number): void };

export class TaskMetrics {
  /** Tasks not yet seen to end, as the scheduler's own (live) objects. */
  private readonly tasks = new Map<string, Readonly<TaskState>>();
  private readonly readySince = new Map<string, number>();
  private readonly runningSince = new Map<string, number>();
  private readonly ended: Counter<"status" | "capability">;
  private readonly queueWait: Histogram<"capability">;
  private readonly runTime: Histogram<"capability">;
  /** prom-client hashes a label set on every call; children are looked up once per label value. */
  private readonly children = new Map<string, Child>();
  private readonly onChanged = (tasks: TaskState[]) => {
    for (const t of tasks) this.tasks.set(t.id, t);
  };
  private readonly onEvents = (events: TaskEventView[]) => {
    for (const e of events) this.record(e);
  };

  constructor(
    private readonly deps: { registry: Registry; bus: DomainBus; coordinator: LiveTaskSource; capabilities: CapabilityLabels },
  ) {
    const registers = [deps.registry];
    this.ended = new Counter({
      name: "switchboard_tasks_total",
      help: "Tasks that reached a terminal status (succeeded, failed, canceled, dead), once per end; capability is the first one the task requires.",
      labelNames: ["status", "capability"],
      registers,
    });
    this.queueWait = new Histogram({
      name: "switchboard_task_queue_wait_seconds",
      help: "Per attempt: from the task becoming ready (submitted, backoff over, handed back, lease lost) to an agent starting it.",
      labelNames: ["capability"],
      buckets: TASK_SECONDS_BUCKETS,
      registers,
    });
    this.runTime = new Histogram({
      name: "switchboard_task_run_seconds",
      help: "Per attempt: from an agent starting it to the agent reporting success or failure.",
      labelNames: ["capability"],
      buckets: TASK_SECONDS_BUCKETS,
      registers,
    });
    const self = this;
    new Gauge({
      name: "switchboard_tasks_queued",
      help: "Tasks waiting for an agent now (including those in retry backoff), by the first capability they require.",
      labelNames: ["capability"],
      registers,
      collect() {
        this.reset();
        for (const [capability, n] of self.queuedByCapability()) this.set({ capability }, n);
      },
    });
    deps.bus.on("tasksChanged", this.onChanged);
    deps.bus.on("taskEventsRecorded", this.onEvents);
  }

  /**
   * Tasks rebuilt from the store at start-up: they were live before this module listened, and a
   * queued one that nothing touches appears in no event until an agent takes it.
   */
  seed(ids: Iterable<string>) {
    for (const id of ids) {
      if (this.tasks.has(id)) continue;
      const live = this.deps.coordinator.liveTask(id);
      if (live) this.tasks.set(id, live);
    }
  }

  close() {
    this.deps.bus.off("tasksChanged", this.onChanged);
    this.deps.bus.off("taskEventsRecorded", this.onEvents);
  }

  private child<C extends Child>(key: string, make: () => C): C {
    let c = this.children.get(key) as C | undefined;
    if (!c) this.children.set(key, (c = make()));
    return c;
  }

  private record(e: TaskEventView) {
    const t = this.tasks.get(e.taskId);
    if (!t) return;
    const type = e.type;
    if (type === "submitted") {
      this.readySince.set(t.id, e.at);
    } else if (type === "retry_scheduled") {
      // Ready when the backoff ends; read now, a few ms after it was set, before it can end.
      this.readySince.set(t.id, t.notBefore != null && t.notBefore > e.at ? t.notBefore : e.at);
    } else if (type === "started") {
      // Started before a restart, or seeded: the task itself says when it was queued.
      const ready = this.readySince.get(t.id) ?? (t.attempt <= 1 ? t.createdAt : (t.queuedAt ?? e.at));
      this.readySince.delete(t.id);
      this.runningSince.set(t.id, e.at);
      const cap = this.deps.capabilities.of(t.requirements);
      this.child(`w\u0000${cap}`, () => this.queueWait.labels(cap)).observe(Math.max(0, e.at - ready) / 1000);
    } else if (RUN_ENDS.has(type)) {
      const since = this.runningSince.get(t.id) ?? (t.startedAt != null && t.startedAt <= e.at ? t.startedAt : null);
      this.runningSince.delete(t.id);
      if (since != null) {
        const cap = this.deps.capabilities.of(t.requirements);
        this.child(`r\u0000${cap}`, () => this.runTime.labels(cap)).observe(Math.max(0, e.at - since) / 1000);
      }
    } else if (LOST_ENDS.has(type)) {
      this.runningSince.delete(t.id);
    }
    if (BECOMES_READY.has(type) && !this.readySince.has(t.id)) this.readySince.set(t.id, e.at);
    if (TERMINAL_EVENTS.has(type)) {
      const cap = this.deps.capabilities.of(t.requirements);
      this.child(`e\u0000${type}\u0000${cap}`, () => this.ended.labels(type, cap)).inc();
      this.forget(t.id);
    }
  }

  private forget(id: string) {
    this.tasks.delete(id);
    this.readySince.delete(id);
    this.runningSince.delete(id);
  }

  /**
   * At scrape time, from the live objects. Also drops tasks that left the coordinator without an
   * end (refused by the store), so nothing here outlives the scheduler's own state.
   */
  private queuedByCapability(): Map<string, number> {
    // Capabilities seen before stay at 0 when their queue is empty: a series that vanishes
    // reads as "no data" to alerts and graphs, not as "nothing waits".
    const out = new Map<string, number>([...this.deps.capabilities.values()].map((c) => [c, 0]));
    for (const [id, t] of this.tasks) {
      const live = this.deps.coordinator.liveTask(id);
      if (!live) {
        // An ended task whose end event is still on its way (the next batch) stays.
        if (!isTerminal(t.status)) this.forget(id);
        continue;
      }
      if (live.status !== "queued") continue;
      const cap = this.deps.capabilities.of(live.requirements);
      out.set(cap, (out.get(cap) ?? 0) + 1);
    }
    return out;
  }
}
