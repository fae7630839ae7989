// The scheduler: the coordinator's decisions over plain in-memory state. No I/O, no timers,
// no Date.now() — the caller injects a Clock, calls tick() on a timer and drains the Outbox
// to persist and deliver what changed.
//
// Invariants (tested by property tests in scheduler.property.test.ts):
// - A task is held by at most one agent, and the agent's `tasks` set and the task's
//   `agentId` always agree.
// - `attempt` is the fencing token: it is bumped on every assignment, and a report that
//   names another attempt, or comes from another agent, is rejected. So after a lease
//   expires, the old holder can no longer complete the task.
// - A task reaches a terminal status exactly once per life (an operator's retry starts a new
//   life); terminal tasks are dropped from memory at once and every later report is stale.
//
// One concern a file, over one shared SchedulerState (state.ts): the agent registry and health
// (registry.ts), a task's life outside its attempts (tasks.ts), attempts, fencing and leases
// (attempts.ts), time-driven decisions (timers.ts), matching work to agents (dispatch.ts) and
// the stats performance balancing uses (performance.ts). This class is only the facade: the
// API the coordinator and the tests use, each method one call into the module that owns it.
import type { AgentStatus, IncidentKind, WaitingExplanation } from "@/lib/api";
import type { PerformanceStat } from "../balancing";
import * as attempts from "./attempts";
import { dispatch } from "./dispatch";
import * as performance from "./performance";
import * as registry from "./registry";
import {
  createState,
  drain,
  hasChanges,
  incident,
  type AgentRegistration,
  type AgentState,
  type CancelNotice,
  type NewTask,
  type Outbox,
  type Outcome,
  type SchedulerOptions,
  type SchedulerState,
  type TaskState,
} from "./state";
import * as tasks from "./tasks";
import { qualifies, type Qualifiable } from "../matching";
import { tick } from "./timers";

export { assignmentOf } from "./attempts";
export type {
  AgentHealth,
  AgentRegistration,
  AgentState,
  CancelNotice,
  HistoryEntry,
  IncidentEntry,
  IncidentKind,
  NewTask,
  Outbox,
  Outcome,
  Rejection,
  SchedulerOptions,
  TaskState,
} from "./state";

export { STOPPED_BY_OWNER } from "./registry";

export class Scheduler {
  /** Live tasks and all known agents; callers read them, only the scheduler writes them. */
  readonly tasks: Map<string, TaskState>;
  readonly agents: Map<string, AgentState>;
  private readonly s: SchedulerState;

  constructor(opts: SchedulerOptions) {
    this.s = createState(opts);
    this.tasks = this.s.tasks;
    this.agents = this.s.agents;
  }

  /** Whether anything changed since the last drain. */
  hasChanges(): boolean {
    return hasChanges(this.s);
  }

  /** Takes what changed since the last call. */
  drain(): Outbox {
    return drain(this.s);
  }

  /** Takes the agents whose readings alone changed since the last call (see Outbox.sampled). */
  takeSampled(): Set<string> {
    const ids = this.s.out.sampled;
    this.s.out.sampled = new Set();
    return ids;
  }

  // ---- Tasks (tasks.ts) ----------------------------------------------------------------

  submit(spec: NewTask): TaskState {
    return tasks.submit(this.s, spec);
  }

  /** Puts a task rebuilt from the store back under management (start-up recovery, operator retry). */
  restore(t: TaskState) {
    tasks.restore(this.s, t);
  }

  cancel(taskId: string, reason: string): Outcome<TaskState> {
    return tasks.cancel(this.s, taskId, reason);
  }

  /** Removes a task the store refused to keep, leaving no trace (see tasks.dropTask). */
  dropTask(taskId: string) {
    tasks.dropTask(this.s, taskId);
  }

  /** An operator's retry of a finished task: a new life with a fresh attempt budget. */
  requeue(t: TaskState, reason: string): TaskState {
    return tasks.requeue(this.s, t, reason);
  }

  explain(taskId: string): WaitingExplanation | null {
    return tasks.explain(this.s, taskId);
  }

  counts() {
    return tasks.counts(this.s);
  }

  /**
   * Queued tasks an agent with this card could take: each ready group (tasks with the same
   * requirements) counts whole when its head qualifies — what a pool's autoscaler scales for.
   */
  backlogFor(card: Qualifiable): number {
    let n = 0;
    for (const key of this.s.ready.keys()) {
      const head = this.s.ready.head(key);
      const t = head && this.s.tasks.get(head.id);
      if (t && qualifies(card, t)) n += this.s.ready.sizeOf(key);
    }
    return n;
  }

  // ---- Agents (registry.ts) ------------------------------------------------------------

  /**
   * Registers an agent or re-attaches one that reconnects under the same name. Returns the
   * tasks it still holds so it can keep reporting on them.
   */
  registerAgent(reg: AgentRegistration): { agent: AgentState; held: { taskId: string; attempt: number }[] } {
    return registry.registerAgent(this.s, reg);
  }

  /** Loads a known agent from the store at start-up; it is offline until it reconnects. */
  restoreAgent(reg: AgentRegistration & { lastHeartbeatAt: number | null; wasConnected: boolean; offlineReason: string | null }) {
    registry.restoreAgent(this.s, reg);
  }

  agentByName(name: string): AgentState | undefined {
    return registry.agentByName(this.s, name);
  }

  /** The transport went away. Its leases keep running: a reconnect within the TTL loses nothing. */
  disconnectAgent(agentId: string, reason?: string) {
    registry.disconnectAgent(this.s, agentId, reason);
  }

  /** Removes an offline agent that holds nothing, for good. */
  forgetAgent(agentId: string): Outcome<AgentState> {
    return registry.forgetAgent(this.s, agentId);
  }

  /** The lease an agent's work gets: its own TTL if it asked for one, else the server's. */
  ttl(a: AgentState): number {
    return registry.ttl(this.s, a);
  }

  /** Renews the agent's leases; returns cancel notices for tasks it runs but no longer holds. */
  heartbeat(
    agentId: string,
    r: { cpu?: number; memoryMb?: number; memoryTotalMb?: number; cpuCount?: number; taskIds?: string[] },
  ): Outcome<CancelNotice[]> {
    return registry.heartbeat(this.s, agentId, r);
  }

  /** Stop giving this agent work; what it holds runs to the end. */
  drainAgent(agentId: string, draining?: boolean): Outcome {
    return registry.drainAgent(this.s, agentId, draining);
  }

  setAwaitingClaim(agentId: string, waiting: boolean) {
    registry.setAwaitingClaim(this.s, agentId, waiting);
  }

  agentStatus(a: AgentState): AgentStatus {
    return registry.agentStatus(a);
  }

  // ---- Reports from agents, all fenced by attempt (attempts.ts) ------------------------

  accept(agentId: string, taskId: string, attempt: number): Outcome {
    return attempts.accept(this.s, agentId, taskId, attempt);
  }

  progress(agentId: string, taskId: string, attempt: number, percent?: number, message?: string): Outcome {
    return attempts.progress(this.s, agentId, taskId, attempt, percent, message);
  }

  complete(agentId: string, taskId: string, attempt: number, result: unknown): Outcome {
    return attempts.complete(this.s, agentId, taskId, attempt, result);
  }

  fail(agentId: string, taskId: string, attempt: number, error: string, retryable: boolean, result?: unknown): Outcome {
    return attempts.fail(this.s, agentId, taskId, attempt, error, retryable, result);
  }

  /** The agent hands a task back untouched; it is requeued and the attempt is not counted. */
  release(agentId: string, taskId: string, attempt: number, reason: string): Outcome {
    return attempts.release(this.s, agentId, taskId, attempt, reason);
  }

  // ---- Time (timers.ts) and dispatch (dispatch.ts) -------------------------------------

  /** Time-driven decisions: health, leases, run and progress timeouts, queue timeouts, backoffs. */
  tick() {
    tick(this.s);
  }

  /** Assigns ready tasks to free agents until either runs out; returns how many. */
  dispatch(): number {
    return dispatch(this.s);
  }

  // ---- Incidents and performance -------------------------------------------------------

  /** Recorded by the shell (server restarts) as well as here. */
  incident(kind: IncidentKind, message: string, agentId: string | null, taskId: string | null) {
    incident(this.s, kind, message, agentId, taskId);
  }

  /** Seeds performance stats from history at start-up. */
  seedPerformance(agentId: string, capability: string, stat: PerformanceStat) {
    performance.seedPerformance(this.s, agentId, capability, stat);
  }
}
