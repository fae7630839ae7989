// A small client for the REST API (/api/v1), used by the CLI. Every failure — an error
// answer, a refused connection, an unexpected body — becomes an ApiError whose message is
// one sentence a person can act on.

import { z } from "zod";
import { errorCodeSchema, submitBodySchema, taskSpecSchema, taskStatusSchema, type TaskSpecInput, type TaskStatus } from "../lib/protocol";
import { sendMessageSchema, type MessageView, type SendMessageInput, type SendResult } from "../lib/messaging";
import type { AgentView, TaskEventView, TaskLogLine, TaskView, TokenView, WaitingExplanation } from "../lib/views";
import { messageViewSchema } from "./inbox";
import type { RunStatus, RunSummary, RunView, StepView, TemplateSummary, TemplateVersionView, ValidationIssue } from "../lib/workflow";
import type { TokenScope } from "../lib/policy";

export class ApiError extends Error {
  constructor(
    /** The server's error code, or UNAVAILABLE / INTERNAL for transport and shape problems. */
    readonly code: string,
    message: string,
    readonly status?: number,
    /** Template validation problems, when the server rejected a workflow definition. */
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
  }
}

export interface HttpClientOptions {
  server: string;
  token?: string;
  /** A session cookie (`sb_session=...`) instead of a token, after `login`. */
  cookie?: string;
  fetch?: typeof fetch;
}

export interface TaskDetail {
  task: TaskView;
  events: TaskEventView[];
  logs: TaskLogLine[];
  waiting: WaitingExplanation | null;
}

export interface WorkflowDetail {
  template: TemplateSummary;
  version: TemplateVersionView;
  /** The template's versions, newest first as the server sends them; only `version` is relied on. */
  versions: Array<Partial<TemplateVersionView> & { version: number }>;
}

export interface PendingApproval {
  run: RunSummary;
  step: StepView;
}

export interface HttpClient {
  submit(spec: TaskSpecInput): Promise<TaskView>;
  submitMany(specs: TaskSpecInput[]): Promise<TaskView[]>;
  list(query?: { status?: TaskStatus; agentId?: string; limit?: number }): Promise<TaskView[]>;
  get(taskId: string): Promise<TaskDetail>;
  cancel(taskId: string): Promise<TaskView>;
  retry(taskId: string): Promise<TaskView>;
  tokenCreate(body: { name: string; scope: TokenScope; expiresInDays?: number }): Promise<{ token: TokenView; secret: string }>;
  workflowApply(body: { source: string; format: "yaml" | "json" }): Promise<{ version: TemplateVersionView; created: boolean }>;
  workflowList(): Promise<TemplateSummary[]>;
  workflowGet(name: string, version?: number): Promise<WorkflowDetail>;
  workflowRun(name: string, body: { params: Record<string, string | number | boolean>; version?: number }): Promise<RunView>;
  runList(query?: { status?: RunStatus; template?: string; limit?: number }): Promise<RunSummary[]>;
  runGet(runId: string): Promise<RunView>;
  runCancel(runId: string): Promise<RunView>;
  runRerun(runId: string, fromStep: string): Promise<RunView>;
  runDecide(runId: string, stepId: string, decision: "approve" | "reject", comment?: string): Promise<RunView>;
  approvals(): Promise<PendingApproval[]>;
  /** Sends as the token (`from` is `token:<name>`). */
  sendMessage(input: SendMessageInput): Promise<SendResult>;
  /** Sends as the agent; needs that agent's token. */
  sendMessageAs(agentId: string, input: SendMessageInput): Promise<SendResult>;
  /** Unacknowledged messages with seq > after; long-polls up to `wait` seconds when there are none. */
  inbox(agentId: string, query?: { after?: number; wait?: number; limit?: number }): Promise<MessageView[]>;
  inboxAck(agentId: string, upTo: number): Promise<{ acked: number }>;
  agents(): Promise<AgentView[]>;
  /** Logs in with the bootstrap admin's password and returns a client that uses the session. */
  login(username: string, password: string): Promise<HttpClient>;
}

// The views are TypeScript interfaces in lib/views.ts; these schemas check the parts the
// CLI relies on and let the rest through.
const taskViewSchema = z.looseObject({ id: z.string(), title: z.string(), status: taskStatusSchema, attempt: z.number() });
const taskEnvelope = z.object({ task: taskViewSchema });
const tasksEnvelope = z.object({ tasks: z.array(taskViewSchema) });
const detailEnvelope = z.object({
  task: taskViewSchema,
  events: z.array(z.looseObject({ type: z.string(), at: z.number() })).default([]),
  logs: z.array(z.looseObject({ line: z.string(), at: z.number() })).default([]),
  waiting: z.looseObject({ code: z.string(), message: z.string() }).nullable().default(null),
});
const tokenEnvelope = z.object({ token: z.looseObject({ id: z.string(), name: z.string() }), secret: z.string() });
const issueSchema = z.looseObject({ step: z.string().nullable().default(null), path: z.string().default(""), message: z.string() });
const errorBody = z.object({ error: z.looseObject({ code: z.string(), message: z.string(), issues: z.array(issueSchema).optional() }) });

const stepViewSchema = z.looseObject({ id: z.string(), type: z.string(), status: z.string() });
const runFields = { id: z.string(), templateName: z.string(), templateVersion: z.number(), status: z.string() };
const runViewSchema = z.looseObject({ ...runFields, steps: z.array(stepViewSchema) });
const runSummarySchema = z.looseObject(runFields);
const runEnvelope = z.object({ run: runViewSchema });
const runsEnvelope = z.object({ runs: z.array(runSummarySchema) });
const templateSummarySchema = z.looseObject({ name: z.string(), latestVersion: z.number() });
const versionViewSchema = z.looseObject({ name: z.string(), version: z.number(), source: z.string() });
const applyEnvelope = z.object({ version: versionViewSchema, created: z.boolean() });
const templatesEnvelope = z.object({ templates: z.array(templateSummarySchema) });
const workflowEnvelope = z.object({
  template: templateSummarySchema,
  version: versionViewSchema,
  versions: z.array(z.looseObject({ version: z.number() })).default([]),
});
const sendResultSchema = z.looseObject({ messageId: z.string(), threadId: z.string(), recipients: z.array(z.string()) });
const inboxEnvelope = z.object({ messages: z.array(messageViewSchema) });
const ackedEnvelope = z.looseObject({ acked: z.number() });
const agentsEnvelope = z.object({ agents: z.array(z.looseObject({ id: z.string(), name: z.string(), status: z.string() })) });
const approvalsEnvelope = z.object({ approvals: z.array(z.object({ run: runSummarySchema, step: stepViewSchema })) });

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = options.server.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const response = await call(method, path, body);
    const json = await response.json().catch(() => undefined);
    if (!response.ok) throw errorFrom(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError("INTERNAL", `the server answered ${method} ${path} with an unexpected body (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError("UNAVAILABLE", `cannot reach the server at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
  }

  const id = (taskId: string) => encodeURIComponent(taskId);
  const query = (values: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
    return params.size > 0 ? `?${params}` : "";
  };

  return {
    async submit(spec) {
      checkSpec(spec);
      return (await request("POST", "/api/v1/tasks", taskEnvelope, spec)).task as unknown as TaskView;
    },
    async submitMany(specs) {
      checkSubmitBody({ tasks: specs });
      return (await request("POST", "/api/v1/tasks", tasksEnvelope, { tasks: specs })).tasks as unknown as TaskView[];
    },
    async list(query = {}) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const qs = params.size > 0 ? `?${params}` : "";
      return (await request("GET", `/api/v1/tasks${qs}`, tasksEnvelope)).tasks as unknown as TaskView[];
    },
    async get(taskId) {
      return (await request("GET", `/api/v1/tasks/${id(taskId)}`, detailEnvelope)) as unknown as TaskDetail;
    },
    async cancel(taskId) {
      return (await request("POST", `/api/v1/tasks/${id(taskId)}/cancel`, taskEnvelope)).task as unknown as TaskView;
    },
    async retry(taskId) {
      return (await request("POST", `/api/v1/tasks/${id(taskId)}/retry`, taskEnvelope)).task as unknown as TaskView;
    },
    async tokenCreate(body) {
      return (await request("POST", "/api/v1/tokens", tokenEnvelope, body)) as unknown as { token: TokenView; secret: string };
    },
    async workflowApply(body) {
      return (await request("POST", "/api/v1/workflows", applyEnvelope, body)) as unknown as { version: TemplateVersionView; created: boolean };
    },
    async workflowList() {
      return (await request("GET", "/api/v1/workflows", templatesEnvelope)).templates as unknown as TemplateSummary[];
    },
    async workflowGet(name, version) {
      return (await request("GET", `/api/v1/workflows/${id(name)}${query({ version })}`, workflowEnvelope)) as unknown as WorkflowDetail;
    },
    async workflowRun(name, body) {
      return (await request("POST", `/api/v1/workflows/${id(name)}/runs`, runEnvelope, body)).run as unknown as RunView;
    },
    async runList(q = {}) {
      return (await request("GET", `/api/v1/runs${query(q)}`, runsEnvelope)).runs as unknown as RunSummary[];
    },
    async runGet(runId) {
      return (await request("GET", `/api/v1/runs/${id(runId)}`, runEnvelope)).run as unknown as RunView;
    },
    async runCancel(runId) {
      return (await request("POST", `/api/v1/runs/${id(runId)}/cancel`, runEnvelope)).run as unknown as RunView;
    },
    async runRerun(runId, fromStep) {
      return (await request("POST", `/api/v1/runs/${id(runId)}/rerun`, runEnvelope, { fromStep })).run as unknown as RunView;
    },
    async runDecide(runId, stepId, decision, comment) {
      const body = comment === undefined ? {} : { comment };
      return (await request("POST", `/api/v1/runs/${id(runId)}/steps/${id(stepId)}/${decision}`, runEnvelope, body)).run as unknown as RunView;
    },
    async approvals() {
      return (await request("GET", "/api/v1/approvals", approvalsEnvelope)).approvals as unknown as PendingApproval[];
    },
    async sendMessage(input) {
      checkMessage(input);
      return (await request("POST", "/api/v1/messages", sendResultSchema, input)) as SendResult;
    },
    async sendMessageAs(agentId, input) {
      checkMessage(input);
      return (await request("POST", `/api/v1/agents/${id(agentId)}/messages`, sendResultSchema, input)) as SendResult;
    },
    async inbox(agentId, q = {}) {
      return (await request("GET", `/api/v1/agents/${id(agentId)}/inbox${query(q)}`, inboxEnvelope)).messages as MessageView[];
    },
    async inboxAck(agentId, upTo) {
      return (await request("POST", `/api/v1/agents/${id(agentId)}/inbox/ack`, ackedEnvelope, { upTo })) as { acked: number };
    },
    async agents() {
      return (await request("GET", "/api/v1/agents", agentsEnvelope)).agents as unknown as AgentView[];
    },
    async login(username, password) {
      const response = await call("POST", "/api/auth/login", { username, password });
      if (!response.ok) throw errorFrom(response.status, await response.json().catch(() => undefined));
      const session = response.headers.getSetCookie().find((c) => c.startsWith("sb_session="));
      if (!session) throw new ApiError("INTERNAL", "the server accepted the login but sent no sb_session cookie");
      return createHttpClient({ ...options, token: undefined, cookie: session.split(";", 1)[0] });
    },
  };
}

function errorFrom(status: number, json: unknown): ApiError {
  const parsed = errorBody.safeParse(json);
  if (parsed.success) {
    const code = errorCodeSchema.safeParse(parsed.data.error.code);
    const { error } = parsed.data;
    return new ApiError(code.success ? code.data : error.code, error.message, status, (error.issues ?? []) as ValidationIssue[]);
  }
  return new ApiError(status === 401 ? "UNAUTHORIZED" : "INTERNAL", `the server answered with HTTP ${status}`, status);
}

/** Checks a spec before sending it, so a typo is reported without a round trip. */
function checkSpec(spec: TaskSpecInput) {
  const parsed = taskSpecSchema.safeParse(spec);
  if (!parsed.success) throw new ApiError("BAD_REQUEST", describeIssue(parsed.error.issues[0]));
}

function checkMessage(input: SendMessageInput) {
  const parsed = sendMessageSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".");
    throw new ApiError("BAD_REQUEST", `invalid message: ${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`);
  }
}

function checkSubmitBody(body: unknown) {
  const parsed = submitBodySchema.safeParse(body);
  if (!parsed.success) throw new ApiError("BAD_REQUEST", describeIssue(parsed.error.issues[0]));
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "invalid task";
  const path = issue.path.join(".");
  return path ? `invalid task: ${path}: ${issue.message}` : `invalid task: ${issue.message}`;
}
