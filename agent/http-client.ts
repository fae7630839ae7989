// A small client for the REST API (/api/v1), used by the CLI. It is built from the same route
// table as the server (lib/api/rest.ts): every request goes to a route of that table and every
// answer is parsed with that route's response schema, so a server that answers something else
// is an error here, not a surprise later. Every failure — an error answer, a refused
// connection, an unexpected body — becomes an ApiError with one sentence a person can act on.

import type { z } from "zod";
import { restApi, type RestRoute, type RestRouteName } from "../lib/api/rest";
import { errorBodySchema } from "../lib/api/rest";
import { tokenCreatedSchema } from "../lib/api/identity";
import type {
  AgentView,
  Me,
  PendingApproval,
  RunStatus,
  RunSummary,
  RunView,
  TaskDetail,
  TaskStatus,
  TaskView,
  TemplateDetail,
  TemplateSummary,
  TemplateVersionView,
  TokenCreated,
  TokenScope,
  ValidationIssue,
} from "../lib/api";
import { errorCodeSchema } from "../lib/api";
import { submitBodySchema, taskSpecSchema, type TaskSpecInput } from "../lib/protocol";
import { sendMessageSchema, type MessageView, type SendMessageInput, type SendResult } from "../lib/messaging";
import { describeIssues } from "../lib/validation";

export type { TaskDetail, Me };

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
  fetch?: typeof fetch;
  /**
   * A 429 or 503 with Retry-After (rate limit, load shedding: nothing was done) is sent again
   * after the wait, until the waits add up to this much (ms; 0: never). Default 60 s.
   */
  retryBudgetMs?: number;
  /** Told before each such wait (the CLI says so on stderr). */
  onRetry?: (waitMs: number, status: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The wait a 429/503 asks for: the body's precise `retryAfterMs`, else Retry-After (seconds or a date). */
export function retryWaitMs(status: number, header: string | null, body: unknown, now = Date.now()): number | null {
  if (status !== 429 && status !== 503) return null;
  const precise = (body as { error?: { retryAfterMs?: unknown } } | undefined)?.error?.retryAfterMs;
  if (typeof precise === "number" && precise >= 0) return precise;
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export type WorkflowDetail = TemplateDetail;

export interface HttpClient {
  submit(spec: TaskSpecInput): Promise<TaskView>;
  submitMany(specs: TaskSpecInput[]): Promise<TaskView[]>;
  list(query?: { status?: TaskStatus; agentId?: string; limit?: number }): Promise<TaskView[]>;
  get(taskId: string): Promise<TaskDetail>;
  cancel(taskId: string): Promise<TaskView>;
  retry(taskId: string): Promise<TaskView>;
  tokenCreate(body: { name: string; scope: TokenScope; canSubmit?: boolean; expiresInDays?: number }): Promise<TokenCreated>;
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
  /** A new API token for a user name and password (at most that user's rights). */
  exchangeToken(body: { username: string; password: string; name?: string; scope?: TokenScope; expiresInDays?: number }): Promise<TokenCreated>;
  /** Who this client's credentials are. */
  me(): Promise<Me>;
  /** Revokes the token this client uses. */
  revokeSelf(): Promise<void>;
}

type Response<N extends RestRouteName> = z.infer<(typeof restApi)[N]["response"]>;
type Call = { params?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = options.server.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function send(method: string, path: string, body: unknown): Promise<{ status: number; ok: boolean; json: unknown }> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const budget = options.retryBudgetMs ?? 60_000;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let waited = 0; ; ) {
      let response: globalThis.Response;
      try {
        response = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new ApiError("UNAVAILABLE", `cannot reach the server at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
      }
      const json = await response.json().catch(() => undefined);
      const wait = retryWaitMs(response.status, response.headers.get("retry-after"), json);
      if (wait !== null && waited + wait <= budget) {
        options.onRetry?.(wait, response.status);
        await sleep(wait);
        waited += wait;
        continue;
      }
      return { status: response.status, ok: response.ok, json };
    }
  }

  /** One route of the table: the path filled in, the answer parsed with the route's schema. */
  async function call<N extends RestRouteName>(name: N, c: Call = {}): Promise<Response<N>> {
    const route: RestRoute = restApi[name];
    const path = route.path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(c.params?.[k] ?? ""));
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const url = `/api/v1${path}${qs.size ? `?${qs}` : ""}`;
    const r = await send(route.method, url, c.body);
    if (!r.ok) throw errorFrom(r.status, r.json);
    const parsed = route.response.safeParse(r.json);
    if (!parsed.success) throw new ApiError("INTERNAL", `the server answered ${route.method} ${url} with an unexpected body (${describeIssues(parsed.error.issues)})`);
    return parsed.data as Response<N>;
  }

  const task = (r: { task: TaskView } | { tasks: TaskView[] }): TaskView => {
    if (!("task" in r)) throw new ApiError("INTERNAL", "the server answered a single submission with a batch");
    return r.task;
  };

  return {
    async submit(spec) {
      checkSpec(spec);
      return task(await call("submitTasks", { body: spec }));
    },
    async submitMany(specs) {
      checkSubmitBody({ tasks: specs });
      const r = await call("submitTasks", { body: { tasks: specs } });
      if (!("tasks" in r)) throw new ApiError("INTERNAL", "the server answered a batch with a single task");
      return r.tasks;
    },
    async list(query = {}) {
      return (await call("findTasks", { query })).tasks;
    },
    get: (taskId) => call("getTask", { params: { id: taskId } }),
    async cancel(taskId) {
      return (await call("cancelTask", { params: { id: taskId } })).task;
    },
    async retry(taskId) {
      return (await call("retryTask", { params: { id: taskId } })).task;
    },
    tokenCreate: (body) => call("createToken", { body }),
    workflowApply: (body) => call("saveTemplate", { body }),
    async workflowList() {
      return (await call("findTemplates")).templates;
    },
    workflowGet: (name, version) => call("getTemplate", { params: { name }, query: { version } }),
    async workflowRun(name, body) {
      return (await call("startRun", { params: { name }, body })).run;
    },
    async runList(q = {}) {
      return (await call("findRuns", { query: q })).runs;
    },
    async runGet(runId) {
      return (await call("getRun", { params: { id: runId } })).run;
    },
    async runCancel(runId) {
      return (await call("cancelRun", { params: { id: runId } })).run;
    },
    async runRerun(runId, fromStep) {
      return (await call("rerun", { params: { id: runId }, body: { fromStep } })).run;
    },
    async runDecide(runId, stepId, decision, comment) {
      const body = comment === undefined ? {} : { comment };
      return (await call(decision, { params: { id: runId, step: stepId }, body })).run;
    },
    async approvals() {
      return (await call("approvals")).approvals;
    },
    async sendMessage(input) {
      checkMessage(input);
      return call("sendMessage", { body: input });
    },
    async sendMessageAs(agentId, input) {
      checkMessage(input);
      return call("sendAsAgent", { params: { id: agentId }, body: input });
    },
    async inbox(agentId, q = {}) {
      return (await call("inbox", { params: { id: agentId }, query: q })).messages;
    },
    inboxAck: (agentId, upTo) => call("ackInbox", { params: { id: agentId }, body: { upTo } }),
    async agents() {
      return (await call("findAgents")).agents;
    },
    async exchangeToken(body) {
      // Outside /api/v1: the password-to-token exchange of /api/auth (no session, no cookie).
      const r = await send("POST", "/api/auth/token", body);
      if (!r.ok) throw errorFrom(r.status, r.json);
      const parsed = tokenCreatedSchema.safeParse(r.json);
      if (!parsed.success) throw new ApiError("INTERNAL", `the server answered POST /api/auth/token with an unexpected body (${describeIssues(parsed.error.issues)})`);
      return parsed.data;
    },
    me: () => call("me"),
    async revokeSelf() {
      const me = await call("me");
      await call("revokeToken", { params: { id: me.id } });
    },
  };
}

function errorFrom(status: number, json: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) {
    const { error } = parsed.data;
    return new ApiError(error.code, error.message, status, error.issues ?? []);
  }
  // An error body from a server of another version: keep its sentence if it has one.
  const loose = json as { error?: { code?: unknown; message?: unknown } } | undefined;
  if (typeof loose?.error?.message === "string") {
    const code = errorCodeSchema.safeParse(loose.error.code);
    return new ApiError(code.success ? code.data : "INTERNAL", loose.error.message, status);
  }
  return new ApiError(status === 401 ? "UNAUTHORIZED" : "INTERNAL", `the server answered with HTTP ${status}`, status);
}

/** Checks a spec before sending it, so a typo is reported without a round trip. */
function checkSpec(spec: TaskSpecInput) {
  const parsed = taskSpecSchema.safeParse(spec);
  if (!parsed.success) throw new ApiError("BAD_REQUEST", `invalid task: ${describeIssues(parsed.error.issues.slice(0, 1))}`);
}

function checkMessage(input: SendMessageInput) {
  const parsed = sendMessageSchema.safeParse(input);
  if (!parsed.success) throw new ApiError("BAD_REQUEST", `invalid message: ${describeIssues(parsed.error.issues)}`);
}

function checkSubmitBody(body: unknown) {
  const parsed = submitBodySchema.safeParse(body);
  if (!parsed.success) throw new ApiError("BAD_REQUEST", `invalid task: ${describeIssues(parsed.error.issues.slice(0, 1))}`);
}
