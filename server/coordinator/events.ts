// Domain events the coordinator publishes after a batch is durable. The realtime layer maps
// them to Socket.IO rooms; nothing here knows about sockets.
import { EventEmitter } from "node:events";
import type { Assignment } from "@/lib/protocol";
import type { IncidentView, TaskEventView, TaskLogLine } from "@/lib/api";
import type { CancelNotice, TaskState } from "@/server/core/scheduler";
import type { ErrorEvent } from "@/server/core/insight/errors";

export interface DomainEvents {
  /** Tasks were assigned; deliver each to its agent. */
  tasksAssigned: [{ agentId: string; assignment: Assignment }[]];
  /** Tell these agents to stop these attempts. */
  attemptsCanceled: [CancelNotice[]];
  tasksChanged: [TaskState[]];
  /**
   * New tasks, emitted synchronously inside submit() before they are durable — the one event
   * that is not after the write — so a listener runs in the submitter's async context (tracing
   * reads the submitting request's span from it). Not for anything that needs them stored.
   */
  tasksSubmitted: [TaskState[]];
  agentsChanged: [string[]];
  /** Only the readings of these agents changed (CPU, memory, heartbeat time): tiles, nothing else. */
  agentsSampled: [string[]];
  /** Removed for good (forgotten): the dashboard drops their tiles. */
  agentsForgotten: [string[]];
  taskEventsRecorded: [TaskEventView[]];
  taskLogsAppended: [TaskLogLine[]];
  incidentsRecorded: [IncidentView[]];
  /** A new error group, a resolved one back, a spike (alerts listen). */
  errorEvents: [ErrorEvent[]];
}

export class DomainBus extends EventEmitter<DomainEvents> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
