// The fleet as people see and steer it: agents, their detail, drain, forget, fleet counters.
import type { AgentDetail, AgentStatus, AgentView, FleetStats } from "@/lib/api";
import { AppError } from "@/server/errors";
import type { Caller, ServiceContext } from "./context";

export async function findAgents(s: ServiceContext, caller: Caller, q?: { status?: AgentStatus }): Promise<AgentView[]> {
  return s.read(caller, "agents.find", () => {
    const all = s.views.agents();
    return q?.status ? all.filter((a) => a.status === q.status) : all;
  });
}

/** The agent, what it runs now, what it ran lately, and its last hour of resource samples. */
export async function getAgent(s: ServiceContext, caller: Caller, id: string): Promise<AgentDetail> {
  return s.read(caller, "agents.get", async () => {
    const c = s.deps.coordinator;
    const a = c.agent(id);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${id}.`);
    const [recent, samples] = await Promise.all([s.deps.store.tasks.find({ agentId: id, limit: 20 }), s.deps.store.agents.samples(id, s.deps.clock.now() - 3_600_000)]);
    const current = [...a.tasks].map((t) => c.liveTask(t)).filter((t) => !!t).map((t) => s.views.task(t));
    return { agent: s.views.agent(a), currentTasks: current, recentTasks: recent.items.map((t) => s.views.task(t)), samples };
  });
}

/** Graceful drain from the dashboard: it finishes what it holds and takes nothing new (or resumes). */
export async function drainAgent(s: ServiceContext, caller: Caller, input: { id: string; drain: boolean }): Promise<AgentView> {
  return s.mutate(
    caller,
    "agents.drain",
    async () => {
      await s.deps.coordinator.drainAgent(input.id, input.drain);
      return s.views.agent(s.deps.coordinator.agent(input.id)!);
    },
    { input },
  );
}

/** Removes an offline agent that holds no work from the fleet; its tasks' history keeps its id. */
export async function forgetAgent(s: ServiceContext, caller: Caller, id: string): Promise<AgentView> {
  return s.mutate(
    caller,
    "agents.forget",
    async () => {
      const before = s.deps.coordinator.agent(id);
      const view = before ? s.views.agent(before) : null;
      await s.deps.coordinator.forgetAgent(id);
      return { ...view!, status: "offline" as const };
    },
    { target: id },
  );
}

export async function fleetStats(s: ServiceContext, caller: Caller): Promise<FleetStats> {
  return s.read(caller, "fleet.stats", () => s.views.stats());
}
