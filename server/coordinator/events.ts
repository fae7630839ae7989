// Domain events the coordinator publishes after a batch is durable. The realtime layer maps
// them to Socket.IO rooms; nothing here knows about sockets.
import { EventEmitter } from "node:events";
import type { Assignment } from "@/lib/protocol";
import type { IncidentView, TaskEventView, TaskLogLine } from "@/lib/views";
import type { CancelNotice, TaskState } from "@/server/core/scheduler";

export interface DomainEvents {
  /** Tasks were assigned; deliver each to its agent. */
  tasksAssigned: [{ agentId: string; assignment: Assignment }[]];
  /** Tell these agents to stop these attempts. */
  attemptsCanceled: [CancelNotice[]];
  tasksChanged: [TaskState[]];
  agentsChanged: [string[]];
  taskEventsRecorded: [TaskEventView[]];
  taskLogsAppended: [TaskLogLine[]];
  incidentsRecorded: [IncidentView[]];
}

export class DomainBus extends EventEmitter<DomainEvents> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
