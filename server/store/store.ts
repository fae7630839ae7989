// The coordinator's port to durable storage. The coordinator decides in memory and hands the
// store whole batches (one transaction each), so throughput is not one fsync per task.
import type { TaskState, HistoryEntry, IncidentEntry } from "@/server/core/scheduler";
import type { AgentKind, Capability, LogStream, TaskStatus } from "@/lib/protocol";
import type { ResourceSample, TaskEventView, TaskLogLine, TokenView } from "@/lib/views";

export interface AgentRow {
  id: string;
  name: string;
  kind: AgentKind;
  status: string;
  capabilities: Capability[];
  labels: Record<string, string>;
  channels: string[];
  slots: number;
  version: string;
  cpu: number | null;
  memoryMb: number | null;
  lastHeartbeatAt: number | null;
  connectedAt: number | null;
  tokenId: string | null;
  credentialHash: string | null;
}

export interface LogRow {
  taskId: string;
  attempt: number;
  at: number;
  stream: LogStream;
  line: string;
}

export interface SampleRow {
  agentId: string;
  at: number;
  cpu: number;
  memoryMb: number;
}

export interface MessageRow {
  id: string;
  fromAgentId: string | null;
  fromName: string;
  toKind: string;
  toValue: string;
  threadId: string;
  replyTo: string | null;
  importance: string;
  body: string;
  data: unknown;
  createdAt: number;
  clientKey?: string | null;
}

export interface DeliveryRow {
  agentId: string;
  seq: number;
  messageId: string;
  createdAt: number;
}

export interface WriteBatch {
  tasks: TaskState[];
  history: (HistoryEntry & { id: number })[];
  logs: (LogRow & { id: number })[];
  agents: AgentRow[];
  samples: SampleRow[];
  messages?: MessageRow[];
  deliveries?: DeliveryRow[];
  /** Cumulative acknowledgements: every delivery of `agentId` up to `upTo`. */
  acks?: { agentId: string; upTo: number; at: number }[];
  incidents?: IncidentEntry[];
}

export interface TaskQuery {
  status?: TaskStatus;
  agentId?: string;
  search?: string;
  limit: number;
  /** Id of the last task of the previous page. */
  cursor?: string;
}

export interface TokenRow extends TokenView {
  hash: string;
}

export interface CoordinatorStore {
  write(batch: WriteBatch): Promise<void>;
  /** Agents and every task that is not finished, for rebuilding live state at start-up. */
  loadLive(): Promise<{ agents: AgentRow[]; tasks: TaskState[]; maxEventId: number; maxLogId: number }>;
  /** Finished-task outcomes since `since`, to seed rates and performance stats. */
  loadOutcomes(since: number): Promise<{ agentId: string | null; status: TaskStatus; requirements: Capability[]; startedAt: number | null; finishedAt: number }[]>;
  getTask(id: string): Promise<TaskState | null>;
  getTaskByIdempotencyKey(key: string): Promise<TaskState | null>;
  findTasks(q: TaskQuery): Promise<{ items: TaskState[]; nextCursor: string | null }>;
  taskEvents(taskId: string, limit: number): Promise<Omit<TaskEventView, "agentName">[]>;
  taskLogs(taskId: string, limit: number): Promise<TaskLogLine[]>;
  agentSamples(agentId: string, since: number): Promise<ResourceSample[]>;
  createToken(t: TokenRow): Promise<void>;
  findTokens(): Promise<TokenView[]>;
  tokenByHash(hash: string): Promise<TokenRow | null>;
  revokeToken(id: string, at: number): Promise<TokenView | null>;
  touchToken(id: string, at: number): Promise<void>;
  /** Recent messages sent by or delivered to an agent, or posted on a channel; newest last. */
  findMessages(q: { agentId?: string; channel?: string; limit: number }): Promise<(MessageRow & { recipients: number })[]>;
  /** Every agent's highest seq, and its unacknowledged deliveries with their messages, oldest first. */
  recentMessageKeys(since: number): Promise<{ sender: string; key: string; messageId: string; threadId: string; recipientIds: string[] }[]>;
  loadMailboxes(): Promise<{ lastSeq: Map<string, number>; unacked: { agentId: string; seq: number; message: MessageRow }[] }>;
  /** Drops old samples and logs of long-finished tasks; returns rows removed. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}
