// The scheduler's shared state, its types, and the only writers of the Outbox. Every module in
// this folder works on one SchedulerState, as trigger.dev's run-engine systems share their
// SystemResources: the concerns are split by file, the data is not, so a change made by one
// (an attempt lost, an agent gone) is seen by the next without copying or events.
import type { AgentKind, Assignment, Capability, Strategy, Submitter, TaskStatus } from "@/lib/protocol";
import type { IncidentKind, TaskEventType } from "@/lib/api";
import type { PerformanceStat } from "../balancing";
import type { Clock } from "../clock";
import { requirementKey } from "../matching";
import { MinHeap } from "../min-heap";
import { ReadyQueue } from "../ready-queue";

export interface TaskState {
  id: string;
  title: string;
  command: string | null;
  payload: unknown;
  requirements: Capability[];
  labelSelector: Record<string, string>;
  priority: number;
  strategy: Strategy | null;
  status: TaskStatus;
  /** Fencing token: the number of the current (or last) assignment. */
  attempt: number;
  /** Attempts that failed or were lost; retries stop when this reaches maxAttempts. */
  failures: number;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number | null;
  /** A running attempt that reports nothing (no progress, no log line) for this long is stuck. */
  progressTimeoutMs: number | null;
  /** A task that waits this long for an agent (since it was last queued) ends `dead`. */
  queueTimeoutMs: number | null;
  /** Last sign of work on the current attempt (start, progress, a log line); not stored. */
  lastProgressAt: number | null;
  /** When it last entered the queue; not stored (a restart gives it a fresh queue timeout). */
  queuedAt: number | null;
  notBefore: number | null;
  leaseExpiresAt: number | null;
  agentId: string | null;
  /** Agents whose attempt was lost; retries prefer others (anti-affinity). */
  avoidAgentIds: string[];
  idempotencyKey: string | null;
  /** The workflow run and step this task is, if any; the scheduler only carries them. */
  runId: string | null;
  stepId: string | null;
  /** `name@version` of that run's template, for analytics; the scheduler only carries it. */
  template: string | null;
  /** Who asked for it; agents with acceptFrom rules only take tasks from those they accept. */
  submittedBy: Submitter | null;
  progress: number | null;
  result: unknown;
  error: string | null;
  createdAt: number;
  assignedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

export interface AgentState {
  id: string;
  name: string;
  kind: AgentKind;
  /** Registration order: stable tie-breaks and round-robin. */
  order: number;
  capabilities: Capability[];
  labels: Record<string, string>;
  /** Message channels it listens to; the scheduler only carries them. */
  channels: string[];
  slots: number;
  version: string;
  tokenId: string | null;
  /** Whose tasks it runs (see core/accept-from.ts); empty: anyone's. */
  acceptFrom: string[];
  /** Its own lease TTL (an MCP agent that thinks between calls asks for more); null: the server's. */
  leaseTtlMs: number | null;
  /** Since when it is offline, for forgetting agents that never come back. */
  offlineSince: number | null;
  connected: boolean;
  draining: boolean;
  /** HTTP agents pull work: they are only given tasks while a claim request is open. */
  pull: boolean;
  awaitingClaim: boolean;
  lastSeenAt: number | null;
  lastHeartbeatAt: number | null;
  connectedAt: number | null;
  cpu: number | null;
  memoryMb: number | null;
  memoryTotalMb: number | null;
  cpuCount: number | null;
  tasks: Set<string>;
  /** healthy → unhealthy (missed heartbeats, stuck work) → offline (gone); with the reason. */
  health: AgentHealth;
  healthReason: string | null;
  /** Set when one of its attempts was found stuck; cleared when it shows progress again. */
  stuckSince: number | null;
}

export type AgentHealth = "healthy" | "unhealthy" | "offline";

/** Something an operator should know happened, for the incidents timeline. */
export type { IncidentKind };

export interface IncidentEntry {
  at: number;
  kind: IncidentKind;
  agentId: string | null;
  taskId: string | null;
  message: string;
}

export interface HistoryEntry {
  taskId: string;
  at: number;
  type: TaskEventType;
  attempt: number;
  agentId: string | null;
  message: string | null;
}

export interface CancelNotice {
  agentId: string;
  taskId: string;
  attempt: number;
  reason: string;
}

/** Everything that changed since the last drain; the shell persists it and tells the world. */
export interface Outbox {
  tasks: Map<string, TaskState>;
  agents: Set<string>;
  /**
   * Agents whose readings alone changed (a heartbeat's CPU, memory, time): the dashboard shows
   * them, but they change nothing anyone decides on, so they are not a change to commit —
   * 2,000 agents heartbeating every 5 s would otherwise be 400 commits and row writes a second.
   */
  sampled: Set<string>;
  history: HistoryEntry[];
  assignments: { agentId: string; assignment: Assignment }[];
  cancels: CancelNotice[];
  incidents: IncidentEntry[];
  /** Agents removed for good (forgotten by an operator or after a long time offline). */
  forgotten: string[];
}

export type Rejection = { ok: false; code: "STALE_ATTEMPT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN"; message: string };
export type Outcome<T = undefined> = { ok: true; value: T } | Rejection;

export interface SchedulerOptions {
  clock: Clock;
  leaseTtlMs: number;
  defaultStrategy: Strategy;
  random?: () => number;
  /** Grace past a task's timeout before the server itself fails it (the runner should first). */
  timeoutGraceMs?: number;
  /** How long a task restored at start-up waits for its holder to reconnect. */
  restoreGraceMs?: number;
  /** Agents are unhealthy after 1.5 intervals (at least interval + 1 s) without a heartbeat; offline after the lease TTL. */
  heartbeatIntervalMs?: number;
  /** Offline agents holding nothing are forgotten after this long; null: never. */
  forgetOfflineAfterMs?: number | null;
}

export interface NewTask {
  id: string;
  title: string;
  command?: string | null;
  payload?: unknown;
  requirements?: Capability[];
  labelSelector?: Record<string, string>;
  priority?: number;
  strategy?: Strategy | null;
  maxAttempts?: number;
  backoffMs?: number;
  timeoutMs?: number | null;
  progressTimeoutMs?: number | null;
  queueTimeoutMs?: number | null;
  idempotencyKey?: string | null;
  runId?: string | null;
  stepId?: string | null;
  template?: string | null;
  submittedBy?: Submitter | null;
}

export interface AgentRegistration {
  id: string;
  name: string;
  kind: AgentKind;
  capabilities: Capability[];
  labels: Record<string, string>;
  channels?: string[];
  slots: number;
  version: string;
  tokenId: string | null;
  /** Pulls work over HTTP long-polls instead of having it pushed over a socket. */
  pull?: boolean;
  acceptFrom?: string[];
  leaseTtlMs?: number | null;
}

export const ok = { ok: true, value: undefined } as const;
export const reject = (code: Rejection["code"], message: string): Rejection => ({ ok: false, code, message });

export interface SchedulerState {
  readonly opts: SchedulerOptions;
  readonly random: () => number;
  /** Live tasks only (queued, assigned, running): a task leaves at its terminal status. */
  readonly tasks: Map<string, TaskState>;
  readonly agents: Map<string, AgentState>;
  /** Agent name → id: a reconnect under the same name re-attaches to the same agent. */
  readonly byName: Map<string, string>;
  /**
   * Agent ids by label ("key\u0000value"): a task that selects on labels (often one named
   * agent) looks only at the agents that carry them, so matching does not grow with the fleet.
   */
  readonly byLabel: Map<string, Set<string>>;
  /** Queued tasks that may run now. */
  readonly ready: ReadyQueue;
  /** Queued tasks waiting out a backoff, keyed by notBefore. */
  readonly delayed: MinHeap<string>;
  /** Queue-timeout deadlines (entries go stale when the task leaves the queue; checked on pop). */
  readonly queueDeadlines: MinHeap<string>;
  /** Outcomes per agent and capability ("agent\u0000capability"), for performance balancing. */
  readonly performance: Map<string, PerformanceStat>;
  nextOrder: number;
  lastRoundRobin: number;
  /** Replaced on every drain: always read it through the state, never keep a reference. */
  out: Outbox;
}

export function createState(opts: SchedulerOptions): SchedulerState {
  return {
    opts,
    random: opts.random ?? Math.random,
    tasks: new Map(),
    agents: new Map(),
    byName: new Map(),
    byLabel: new Map(),
    ready: new ReadyQueue(),
    delayed: new MinHeap<string>(),
    queueDeadlines: new MinHeap<string>(),
    performance: new Map(),
    nextOrder: 0,
    lastRoundRobin: -1,
    out: emptyOutbox(),
  };
}

export const labelKey = (k: string, v: string) => `${k}\u0000${v}`;

/** Keeps byLabel in step with an agent's labels: `before` are the ones it had (none when new or gone). */
export function indexLabels(s: SchedulerState, id: string, before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>) {
  for (const [k, v] of Object.entries(before)) {
    if (after[k] === v) continue;
    const set = s.byLabel.get(labelKey(k, v));
    set?.delete(id);
    if (set?.size === 0) s.byLabel.delete(labelKey(k, v));
  }
  for (const [k, v] of Object.entries(after)) {
    if (before[k] === v) continue;
    const key = labelKey(k, v);
    let set = s.byLabel.get(key);
    if (!set) s.byLabel.set(key, (set = new Set()));
    set.add(id);
  }
}

export function now(s: SchedulerState): number {
  return s.opts.clock.now();
}

/** Whether anything changed since the last drain. */
export function hasChanges(s: SchedulerState): boolean {
  const o = s.out;
  return o.tasks.size > 0 || o.agents.size > 0 || o.history.length > 0 || o.assignments.length > 0 || o.cancels.length > 0 || o.incidents.length > 0 || o.forgotten.length > 0;
}

/** Takes what changed since the last call. */
export function drain(s: SchedulerState): Outbox {
  const o = s.out;
  s.out = emptyOutbox();
  return o;
}

/**
 * Puts a queued task where it belongs: the ready queue, or the delayed heap while its backoff
 * lasts. Every entry into the queue goes through here, so the queue timeout always restarts.
 */
export function enqueue(s: SchedulerState, t: TaskState) {
  t.queuedAt = now(s);
  if (t.queueTimeoutMs != null) s.queueDeadlines.push(now(s) + t.queueTimeoutMs, t.id);
  if (t.notBefore != null && t.notBefore > now(s)) s.delayed.push(t.notBefore, t.id);
  else {
    t.notBefore = null;
    s.ready.push(t.id, requirementKey(t), t.priority);
  }
}

/** Recorded by the shell (server restarts) as well as here. */
export function incident(s: SchedulerState, kind: IncidentKind, message: string, agentId: string | null, taskId: string | null) {
  s.out.incidents.push({ at: now(s), kind, agentId, taskId, message });
}

export function touch(s: SchedulerState, t: TaskState) {
  t.updatedAt = now(s);
  s.out.tasks.set(t.id, t);
}

export function record(s: SchedulerState, t: TaskState, type: TaskEventType, message: string | null, agentId: string | null = t.agentId, attempt = t.attempt) {
  s.out.tasks.set(t.id, t);
  s.out.history.push({ taskId: t.id, at: now(s), type, attempt, agentId, message });
}

function emptyOutbox(): Outbox {
  return { tasks: new Map(), agents: new Set(), sampled: new Set(), history: [], assignments: [], cancels: [], incidents: [], forgotten: [] };
}
