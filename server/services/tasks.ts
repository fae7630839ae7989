// Tasks: find, read, submit, cancel, retry, and the dead letters.
import type { DeadLetterView, FindTasksInput, TaskDetail, TaskPage, TaskView } from "@/lib/api";
import type { TaskSpec } from "@/lib/protocol";
import { submitterOf } from "@/server/auth/principal";
import { AppError } from "@/server/errors";
import type { Caller, ServiceContext } from "./context";

/** Newest first, filtered, a page at a time. */
export async function findTasks(s: ServiceContext, caller: Caller, q: FindTasksInput): Promise<TaskPage> {
  return s.read(caller, "tasks.find", async () => {
    const page = await s.deps.store.tasks.find({ ...q, cursor: q.cursor ?? undefined, search: q.search || undefined });
    return { items: page.items.map((t) => s.views.task(t)), nextCursor: page.nextCursor };
  });
}

/** The task, its history, its log and why it waits. */
export async function getTask(s: ServiceContext, caller: Caller, id: string): Promise<TaskDetail> {
  return s.read(caller, "tasks.get", async () => {
    // Memory lets go of a finished task as its last write starts; wait for that write, so the
    // task, its history and its log are read from one state. A live task is the coordinator's
    // own object: it can change while the history is read (an await on PostgreSQL), so it is
    // copied first, and read again if it moved on — else the answer could say "succeeded" with
    // a history that does not have the success yet.
    for (let tries = 1; ; tries++) {
      await s.deps.coordinator.settled();
      const live = await s.deps.coordinator.getTask(id);
      if (!live) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
      const t = { ...live };
      const [events, logs] = await Promise.all([s.deps.store.tasks.events(id, 1000), s.deps.store.tasks.logs(id, 2000)]);
      const moved = live.updatedAt !== t.updatedAt || live.status !== t.status || live.attempt !== t.attempt;
      if (!moved || tries === 3) return { task: s.views.task(t), events: events.map((e) => s.views.named(e)), logs, waiting: s.deps.coordinator.explain(id) };
    }
  });
}

/** Submits tasks as the caller: who asked is carried to the agents (and matched by --accept-from). */
export async function submitTasks(s: ServiceContext, caller: Caller, specs: TaskSpec[]): Promise<TaskView[]> {
  // Who may not submit hears 403, not 503; a shed submission changed nothing and is not audited.
  s.authorize(caller, "tasks.submit", true);
  s.deps.overload?.admitTasks(specs.length, s.deps.coordinator.unfinishedCount());
  return s.mutate(
    caller,
    "tasks.submit",
    async (p) => (await s.deps.coordinator.submit(specs, { submittedBy: submitterOf(p) })).map((t) => s.views.task(t)),
    { input: specs.length === 1 ? specs[0] : { tasks: specs.length, titles: specs.slice(0, 5).map((x) => x.title) }, target: null },
  );
}

export async function cancelTask(s: ServiceContext, caller: Caller, id: string): Promise<TaskView> {
  return s.mutate(caller, "tasks.cancel", async () => s.views.task(await s.deps.coordinator.cancel(id)), { target: id });
}

export async function retryTask(s: ServiceContext, caller: Caller, id: string): Promise<TaskView> {
  return s.mutate(caller, "tasks.retry", async () => s.views.task(await s.deps.coordinator.retry(id)), { target: id });
}

/** Requeues several finished tasks (the dead-letter view's bulk action); says what happened to each. */
export async function retryTasks(s: ServiceContext, caller: Caller, ids: string[]) {
  return s.mutate(caller, "tasks.retryMany", () => s.deps.coordinator.retryMany(ids), { input: { ids } });
}

/** Dead tasks, newest first, each with the error of every attempt. */
export async function deadLetters(s: ServiceContext, caller: Caller, q: { limit: number; cursor?: string | null; search?: string }): Promise<{ items: DeadLetterView[]; nextCursor: string | null }> {
  return s.read(caller, "tasks.deadLetters", async () => {
    const page = await s.deps.store.tasks.find({ status: "dead", limit: q.limit, cursor: q.cursor ?? undefined, search: q.search || undefined });
    const items = await Promise.all(
      page.items.map(async (t) => {
        const events = await s.deps.store.tasks.events(t.id, 1000);
        const attempts = events
          .filter((e) => e.type === "attempt_failed" || e.type === "lease_expired" || e.type === "stuck" || e.type === "dead" || e.type === "failed")
          .map((e) => ({ attempt: e.attempt, at: e.at, type: e.type, agentName: s.views.agentName(e.agentId), message: e.message }));
        return { task: s.views.task(t), attempts };
      }),
    );
    return { items, nextCursor: page.nextCursor };
  });
}
