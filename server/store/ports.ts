// The store's ports: one repository per aggregate, and the batch writer the coordinator's group
// commit uses. Everything above server/store talks to these interfaces only — nothing outside
// this folder touches Prisma or SQL. Implementations: SQLite through Prisma and the driver
// (sqlite/), PostgreSQL through Prisma and `pg` (postgres/) — the repositories that need only
// Prisma's model API are shared by the two (prisma/) — and in memory (memory/, for tests); all
// of them pass the one conformance suite (conformance.ts). open.ts picks one by DATABASE_URL.
//
// Times are epoch milliseconds; JSON columns are parsed values.
import type { PoolPolicy } from "@/lib/api/pools";
import type { TaskState, HistoryEntry, IncidentEntry } from "@/server/core/scheduler";
import type { AgentKind, Capability, LogStream, TaskStatus } from "@/lib/protocol";
import type {
  AuditOutcome,
  AuditView,
  GateDecisionView,
  IncidentKind,
  IncidentView,
  ParamValues,
  ResourceSample,
  Role,
  RunStatus,
  StepStatus,
  TaskEventView,
  TaskLogLine,
  TemplateSummary,
  TemplateVersionView,
  TokenView,
} from "@/lib/api";
import type { FailurePolicy, StepDef, Template } from "@/lib/workflow";
import type { Counters, Dimension, Granularity, RollupKey } from "@/server/core/insight/rollup";
import type { RollupQuery, RollupRow } from "@/server/core/insight/rollup-points";
import type { AlertInstance, Severity, Silence, Transition } from "@/server/core/alerts/alert-state";
import type { RuleDef } from "@/server/core/alerts/conditions";
import type { Matcher } from "@/lib/label-matchers";

// ---- Rows ----

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
  offlineReason: string | null;
  acceptFrom: string[];
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

/** Everything one group-commit cycle writes, in one transaction. */
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
  /** Agents removed for good: their rows (and samples) are deleted. */
  forgottenAgents?: string[];
  /** Rollup increments: added to what is stored (every counter is a sum). */
  rollups?: { key: RollupKey; counters: Counters }[];
  /** Error groups as they are now (the coordinator's error tracker is their owner): replaced. */
  errorGroups?: ErrorGroupRow[];
  errorOccurrences?: ErrorOccurrenceRow[];
}

export type { ErrorGroupRow, ErrorOccurrenceRow } from "@/server/core/insight/errors";
import type { ErrorGroupRow, ErrorOccurrenceRow } from "@/server/core/insight/errors";

export type { RollupQuery, RollupRow } from "@/server/core/insight/rollup-points";

/** How long each kind of history is kept; null keeps it forever. */
export interface Retention {
  logsMs: number | null;
  tasksMs: number | null;
  samplesMs: number | null;
  /** Minute rollups are only read for the last hours; hours and days for long ranges. */
  minuteRollupsMs: number | null;
  rollupsMs: number | null;
}

export interface TaskQuery {
  status?: TaskStatus;
  agentId?: string;
  search?: string;
  /** Created in [createdFrom, createdTo) (exports of a period). */
  createdFrom?: number;
  createdTo?: number;
  limit: number;
  /** Id of the last task of the previous page. */
  cursor?: string;
}

export interface TokenRow extends TokenView {
  hash: string;
}

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  disabledAt: number | null;
  createdAt: number;
  createdBy: string;
  lastLoginAt: number | null;
}

export interface SessionRecord {
  id: string;
  hash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  ip: string;
}

export interface AuditRecord {
  at: number;
  actor: string;
  actorKind: AuditView["actorKind"];
  role: string;
  action: string;
  target: string | null;
  ip: string;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  search?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: number;
}

export interface RunRecord {
  id: string;
  templateName: string;
  templateVersion: number;
  status: RunStatus;
  params: ParamValues;
  failurePolicy: FailurePolicy;
  concurrency: number;
  triggeredBy: string;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface StepRecord {
  runId: string;
  id: string;
  templateStepId: string;
  position: number;
  type: StepDef["type"];
  title: string;
  status: StepStatus;
  dependsOn: string[];
  def: StepDef;
  fanIndex: number | null;
  taskId: string | null;
  agentId: string | null;
  attempt: number;
  result: unknown;
  error: string | null;
  decisions: GateDecisionView[];
  approvalDeadline: number | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export type IncidentRow = Omit<IncidentView, "agentName">;

// ---- Repositories ----

export interface TaskRepository {
  get(id: string): Promise<TaskState | null>;
  byIdempotencyKey(key: string): Promise<TaskState | null>;
  /** Newest first; `cursor` is the id of the last task of the previous page. */
  find(q: TaskQuery): Promise<{ items: TaskState[]; nextCursor: string | null }>;
  /** Every task that has not finished, oldest first (rebuilding live state at start-up). */
  unfinished(): Promise<TaskState[]>;
  /** Finished-task outcomes since `since`, oldest first, to seed rates and performance stats. */
  outcomesSince(since: number): Promise<{ agentId: string | null; status: TaskStatus; requirements: Capability[]; startedAt: number | null; finishedAt: number }[]>;
  /** A task's history, oldest first. */
  events(taskId: string, limit: number): Promise<Omit<TaskEventView, "agentName">[]>;
  /** The newest `limit` log lines, returned oldest first. */
  logs(taskId: string, limit: number): Promise<TaskLogLine[]>;
  /** The highest history and log ids (ids are assigned in memory, from these at start). */
  maxIds(): Promise<{ event: number; log: number }>;
}

export interface AgentRepository {
  all(): Promise<AgentRow[]>;
  /** Stored resource samples of an agent since `since`, oldest first. */
  samples(agentId: string, since: number): Promise<ResourceSample[]>;
}

export interface TokenRepository {
  create(t: TokenRow): Promise<void>;
  /** Newest first, without secrets' hashes. */
  list(): Promise<TokenView[]>;
  byHash(hash: string): Promise<TokenRow | null>;
  /** Marks it revoked (once); null when there is no such token. */
  revoke(id: string, at: number): Promise<TokenView | null>;
  touch(id: string, at: number): Promise<void>;
}

export interface UserRepository {
  count(): Promise<number>;
  create(u: UserRecord): Promise<UserRecord>;
  byName(username: string): Promise<UserRecord | null>;
  byId(id: string): Promise<UserRecord | null>;
  /** Oldest first. */
  list(): Promise<UserRecord[]>;
  update(id: string, patch: Partial<Pick<UserRecord, "role" | "disabledAt" | "passwordHash" | "lastLoginAt">>): Promise<UserRecord>;
  /** Enabled admins other than `exceptId`. */
  countEnabledAdmins(exceptId: string): Promise<number>;
}

export interface SessionRepository {
  create(s: SessionRecord): Promise<void>;
  byHash(hash: string): Promise<SessionRecord | null>;
  deleteByHash(hash: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface AuditRepository {
  /** Several entries in one write, in order (the service batches what one turn of the loop records). */
  append(entries: AuditRecord[]): Promise<void>;
  /** Newest first; `cursor` is the id of the last entry of the previous page. */
  find(q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: number | null }>;
  prune(before: number): Promise<number>;
}

export interface IncidentRepository {
  /** Newest first; `cursor` is the id of the last incident of the previous page. */
  find(q: { kind?: IncidentKind; since?: number; limit: number; cursor?: number }): Promise<{ items: IncidentRow[]; nextCursor: number | null }>;
  countsSince(since: number): Promise<Partial<Record<IncidentKind, number>>>;
  prune(before: number): Promise<number>;
}

export interface TemplateRecord {
  template: TemplateSummary;
  version: TemplateVersionView;
  versions: { version: number; createdAt: number; createdBy: string }[];
}

export interface WorkflowRepository {
  /** Stores a new version when the definition differs from the latest; returns the version in force. */
  saveTemplate(input: { template: Template; source: string; format: "yaml" | "json"; createdBy: string; builtin?: boolean }): Promise<TemplateVersionView>;
  /** By name. */
  findTemplates(): Promise<TemplateSummary[]>;
  getTemplate(name: string, version?: number): Promise<TemplateRecord | null>;
  createRun(run: RunRecord, steps: StepRecord[]): Promise<void>;
  /** The run and the given (changed) steps, in one transaction. */
  saveRun(run: RunRecord, steps: StepRecord[]): Promise<void>;
  getRun(id: string): Promise<{ run: RunRecord; steps: StepRecord[] } | null>;
  activeRuns(): Promise<{ run: RunRecord; steps: StepRecord[] }[]>;
  /** Newest first, with each run's step statuses. */
  findRuns(q: { status?: RunStatus; template?: string; search?: string; createdFrom?: number; createdTo?: number; limit: number; cursor?: string }): Promise<{ items: { run: RunRecord; statuses: StepStatus[] }[]; nextCursor: string | null }>;
}

export interface MessageRepository {
  /** Recent messages sent by or delivered to an agent, or posted on a channel; newest last. */
  conversation(q: { agentId?: string; channel?: string; limit: number }): Promise<(MessageRow & { recipients: number })[]>;
  /** Recent sends with an idempotency key: (sender, key) → what the first send answered. */
  recentKeys(since: number): Promise<{ sender: string; key: string; messageId: string; threadId: string; recipientIds: string[] }[]>;
  /** Every agent's highest seq, and its unacknowledged deliveries with their messages, oldest first. */
  mailboxes(): Promise<{ lastSeq: Map<string, number>; unacked: { agentId: string; seq: number; message: MessageRow }[] }>;
}

/** An alert rule as stored: its definition, and who made it when. */
export interface AlertRuleRow extends RuleDef {
  builtIn: boolean;
  createdBy: string | null;
  updatedAt: number;
}

export interface SilenceRow extends Silence {
  comment: string;
  createdBy: string;
  createdAt: number;
}

export type ChannelKind = "webhook" | "slack" | "email";

export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Per kind: `{ url, secret? }` for webhooks, `{ url }` for Slack, `{ to }` for e-mail. */
  config: Record<string, string>;
  /** Only alerts matching these go here (none: every alert). */
  matchers: Matcher[];
  minSeverity: Severity;
  groupBy: string[];
  enabled: boolean;
  createdBy: string | null;
  updatedAt: number;
}

export interface AlertDeliveryRow {
  id: number;
  channelId: string;
  groupKey: string;
  attempt: number;
  at: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  alerts: number;
  durationMs: number;
}

export interface AlertTransitionRow extends Transition {
  id: number;
}

/** Alerts: rules, the state of their instances with its history, silences, channels and deliveries. */
export interface AlertRepository {
  rules(): Promise<AlertRuleRow[]>;
  saveRule(r: AlertRuleRow): Promise<void>;
  deleteRule(id: string): Promise<boolean>;
  instances(): Promise<AlertInstance[]>;
  /** One evaluation's outcome, in one transaction: instances changed or gone, transitions appended. */
  saveEvaluation(e: { upserts: AlertInstance[]; removed: string[]; transitions: Transition[] }): Promise<void>;
  /** Transitions newest first; `before` is an id cursor. */
  /** Newest first; `since`/`until` bound the transitions' times ([since, until)). */
  history(q: { limit: number; before?: number; fingerprint?: string; since?: number; until?: number }): Promise<AlertTransitionRow[]>;
  silences(): Promise<SilenceRow[]>;
  saveSilence(s: SilenceRow): Promise<void>;
  channels(): Promise<ChannelRow[]>;
  saveChannel(c: ChannelRow): Promise<void>;
  deleteChannel(id: string): Promise<boolean>;
  recordDelivery(d: Omit<AlertDeliveryRow, "id">): Promise<void>;
  /** Newest first. */
  deliveries(q: { channelId?: string; limit: number }): Promise<AlertDeliveryRow[]>;
}

/** History for analytics: rollups, error groups and their occurrences, workflow statistics. */
export interface InsightRepository {
  /**
   * Rollup rows of one granularity with bucket start in [from, to), for some dimensions (and
   * keys), summed by the engine: per (dimension, key) into points `stepMs` wide counted from
   * `from` (each row's bucket is then its point's start), or as stored without `stepMs`. Rows
   * are wide (two histograms); `histograms: false` leaves them empty for reads that need only
   * counts, slot time and resources. Ordered by bucket, then dimension and key.
   */
  rollups(q: RollupQuery): Promise<RollupRow[]>;
  /** Every error group (bounded by retention), for the error tracker at start-up. */
  errorGroups(): Promise<ErrorGroupRow[]>;
  /** Occurrences since `since`, newest first; of one group, or of all. */
  occurrences(q: { groupId?: string; since: number; limit: number }): Promise<ErrorOccurrenceRow[]>;
  /** Per UTC day in [fromDay, toDay] and template: the stats JSON. */
  workflowStats(fromDay: number, toDay: number): Promise<{ day: number; template: string; stats: unknown }[]>;
  /** Read-modify-write of one day's stats of one template, in one transaction. */
  updateWorkflowStats(day: number, template: string, update: (before: unknown) => unknown): Promise<void>;
  meta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Deletes history past its retention, at most `batch` rows per table per call (so a big
   * backlog never holds the database long); returns how many rows went.
   */
  prune(retention: Retention, now: number, batch: number): Promise<number>;
}

/** The group commit's writer: one transaction per batch, in the engine's own SQL dialect. */
/** A report schedule: a cron expression in a time zone, the period each report covers, where it goes. */
export interface ReportScheduleRow {
  id: string;
  name: string;
  cron: string;
  timeZone: string;
  period: "day" | "week";
  catchUp: "skip" | "catch-up";
  /** Alert channels (e-mail, webhook, Slack) each report is sent to. */
  channelIds: string[];
  enabled: boolean;
  builtIn: boolean;
  /** The newest scheduled instant already handled (run or skipped); null before the first. */
  through: number | null;
  createdBy: string | null;
  updatedAt: number;
}

/** A generated report: its period and the figures it was made of (JSON, rendered as HTML or PDF on request). */
export interface ReportRow {
  id: string;
  title: string;
  scheduleId: string | null;
  from: number;
  to: number;
  createdAt: number;
  createdBy: string | null;
  data: string;
}

export interface ReportRepository {
  schedules(): Promise<ReportScheduleRow[]>;
  saveSchedule(s: ReportScheduleRow): Promise<void>;
  deleteSchedule(id: string): Promise<boolean>;
  saveReport(r: ReportRow): Promise<void>;
  /** Newest first, without their data. */
  reports(q: { limit: number; before?: number }): Promise<Omit<ReportRow, "data">[]>;
  report(id: string): Promise<ReportRow | null>;
  /** Removes reports created before `before`; how many. */
  pruneReports(before: number): Promise<number>;
}

/** An agent pool as stored: card, launch spec and policy as the API defines them. */
export interface PoolRow {
  id: string;
  name: string;
  provider: "local" | "host" | "external";
  card: { capabilities: { name: string; level: number }[]; labels: Record<string, string>; slots: number };
  launch: { template: string[]; env: Record<string, string>; drainTimeoutMs: number };
  policy: PoolPolicy;
  enabled: boolean;
  tokenId: string | null;
  tokenSecret: string | null;
  createdBy: string | null;
  updatedAt: number;
}

export interface PoolInstanceRow {
  /** The agent's name: `<pool>-<n>`. */
  name: string;
  poolId: string;
  pid: number | null;
  state: "starting" | "running" | "draining" | "stopped" | "crashed";
  startedAt: number;
  crashes: number;
}

export interface PoolDecisionRow {
  id: number;
  poolId: string;
  at: number;
  from: number;
  to: number;
  wanted: number;
  reactive: number;
  predictive: number | null;
  backlog: number;
  busySlots: number;
  forecastSlots: number | null;
  rule: string;
  reason: string;
}

export interface PoolRepository {
  pools(): Promise<PoolRow[]>;
  savePool(p: PoolRow): Promise<void>;
  /** Removes the pool with its instances and decisions. */
  deletePool(id: string): Promise<boolean>;
  instances(): Promise<PoolInstanceRow[]>;
  saveInstance(i: PoolInstanceRow): Promise<void>;
  deleteInstance(name: string): Promise<void>;
  recordDecision(d: Omit<PoolDecisionRow, "id">): Promise<void>;
  /** Newest first. */
  decisions(q: { poolId: string; limit: number; since?: number }): Promise<PoolDecisionRow[]>;
  pruneDecisions(before: number): Promise<number>;
}

export interface BatchWriter {
  write(batch: WriteBatch): Promise<void>;
}

export interface Store {
  readonly tasks: TaskRepository;
  readonly agents: AgentRepository;
  readonly tokens: TokenRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditRepository;
  readonly incidents: IncidentRepository;
  readonly workflows: WorkflowRepository;
  readonly messages: MessageRepository;
  readonly insight: InsightRepository;
  readonly alerts: AlertRepository;
  readonly reports: ReportRepository;
  readonly pools: PoolRepository;
  readonly batches: BatchWriter;
  close(): Promise<void>;
}
