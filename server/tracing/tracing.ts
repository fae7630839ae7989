// The OpenTelemetry side of tracing: one provider, the spans of tasks (planned by task-spans.ts
// from the coordinator's domain events), a server span per API request and a span per
// agent-protocol socket event.
//
// No global tracer provider, context manager or propagator is registered (only a diag logger
// for export errors, see reportExportErrors): this module owns its tracer and passes contexts
// explicitly, so nothing else in the process changes behaviour and several servers (tests) can
// trace side by side.
//
// The request context travels in an AsyncLocalStorage of our own. It is read once: when tasks
// are submitted (the coordinator's `tasksSubmitted`, emitted synchronously in the submitter's
// call) the submitting request's span becomes their task span's parent. That parent is kept in
// memory only, until the task ends — after a restart a task's spans fall back to the trace
// derived from its id (trace-ids.ts). Workflow steps are never given a request parent: they are
// submitted from the workflow service's own event handlers, whose async context is whatever
// request happened to start the batch that finished the step before.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, diag, createTraceState, trace, type Attributes, type Context, type HrTime, type Span, type SpanContext, type Tracer } from "@opentelemetry/api";
import { BasicTracerProvider, BatchSpanProcessor, RandomIdGenerator, type IdGenerator, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import type { Ack, Assignment } from "@/lib/protocol";
import { isTerminal } from "@/lib/protocol";
import type { TaskEventView } from "@/lib/api";
import type { DomainBus } from "@/server/coordinator/events";
import type { TaskState } from "@/server/core/scheduler";
import { restRouteOf } from "@/server/http/rest-routes";
import { log } from "@/server/log";
import type { TaskTracing } from "@/server/services/tracing-port";
import { PLANNED_EVENTS, endsLife, planTaskSpans, type PlannedSpan, type TaskTracePlan, type TraceEvent } from "./task-spans";
import { attemptSpanIdOf, formatTraceparent, parseTraceparent, traceIdOf } from "./trace-ids";

export interface TracingOptions {
  serviceName?: string;
  /** Where ended spans go: the OTLP batch processor in the server, a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  spanProcessor: SpanProcessor;
  /** tRPC procedure names: a request for any other is named "unknown", so span names stay a bounded set. */
  trpcProcedures?: Iterable<string>;
}

/** Where task spans come from: the coordinator's bus, and the stored history for tasks older than this process. */
export interface TaskSource {
  bus: DomainBus;
  /** A task's stored history, oldest first. */
  history(taskId: string): Promise<Omit<TaskEventView, "agentName">[]>;
  agentName(agentId: string): string | null;
}

/** The OTLP/HTTP (JSON) exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself; the processor reads OTEL_BSP_*. */
export function otlpSpanProcessor(): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter());
}

/**
 * The SDK reports failed exports (a collector that is down) through its diag logger, which is
 * silent unless one is set: errors only, into our log, at most one line a minute. The one
 * global this module sets, and only in the server (startTracing), never in tests.
 */
export function reportExportErrors() {
  let last = 0;
  const report = (message: string) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    let error = message;
    try {
      error = (JSON.parse(message) as { message?: string }).message ?? message; // the SDK logs exceptions as JSON
    } catch {
      // a plain sentence
    }
    log.warn("tracing: the OTLP exporter failed (repeats are not logged for a minute)", { error: error.slice(0, 500) });
  };
  const quiet = () => {};
  diag.setLogger({ error: report, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
}

/** Socket events worth a span: the ones that move an attempt, and registering. Heartbeats and progress are not. */
const TRACED_SOCKET_EVENTS = new Set(["agent:register", "task:accept", "task:complete", "task:fail", "task:release"]);
/** Live tasks remembered at most (parents, histories); the oldest go first and end with the stored history. */
const MAX_LIVE_TASKS = 100_000;
/** Parents kept after their task ended, for reports that arrive late (a retried ack, a stale attempt). */
const MAX_ENDED_PARENTS = 10_000;
/** How long the server's close() waits for the last export (its own exit deadline is 10 s). */
const SHUTDOWN_MS = 3_000;
/** History entries kept per live task (a task released over and over stops growing here). */
const MAX_EVENTS_PER_TASK = 400;

interface RequestScope {
  span: Span;
  /** False once the response is sent: later async work begun by the request is not the request. */
  open: boolean;
}

interface LiveTask {
  events: TraceEvent[];
  /** Its history since the start of this life is here; otherwise the stored one is read at the end. */
  fromStart: boolean;
  final: TaskState | null;
}

/**
 * Span ids for spans made after the fact: `seed` sets the ids the next startSpan takes (startSpan
 * is synchronous, so nothing can come between), anything else gets random ids.
 */
class SeededIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private next: { traceId?: string; spanId?: string } | null = null;
  seed<T>(ids: { traceId?: string; spanId?: string | null }, make: () => T): T {
    this.next = { traceId: ids.traceId, spanId: ids.spanId ?? undefined };
    try {
      return make();
    } finally {
      this.next = null;
    }
  }
  generateTraceId = () => this.next?.traceId ?? this.random.generateTraceId();
  generateSpanId = () => this.next?.spanId ?? this.random.generateSpanId();
}

const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

function remember<K, V>(map: Map<K, V>, key: K, value: V, max = MAX_LIVE_TASKS) {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

export class Tracing implements TaskTracing {
  private readonly ids = new SeededIds();
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly requests = new AsyncLocalStorage<RequestScope>();
  private readonly trpcProcedures: ReadonlySet<string>;
  /** Task id → the span of the request that submitted it (until the task ends). */
  private readonly parents = new Map<string, SpanContext>();
  private readonly endedParents = new Map<string, SpanContext>();
  private readonly live = new Map<string, LiveTask>();
  private ended: LiveTask[] = [];
  private endScheduled = false;
  private readonly loading = new Set<Promise<void>>();
  private source: TaskSource | null = null;
  private unwatch: (() => void) | null = null;
  private closed = false;

  constructor(opts: TracingOptions) {
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ "service.name": opts.serviceName ?? "switchboard" }));
    this.provider = new BasicTracerProvider({ resource, idGenerator: this.ids, spanProcessors: [opts.spanProcessor] });
    this.tracer = this.provider.getTracer("switchboard");
    this.trpcProcedures = new Set(opts.trpcProcedures ?? []);
  }

  // ---- Tasks -----------------------------------------------------------------------------

  /** Follows the coordinator's events; a task's spans are made once its end is durable. */
  watch(source: TaskSource) {
    this.source = source;
    const onSubmitted = (tasks: TaskState[]) => this.submitted(tasks);
    const onChanged = (tasks: TaskState[]) => {
      for (const t of tasks) if (isTerminal(t.status)) this.liveTask(t.id, false).final = t;
    };
    const onEvents = (events: TaskEventView[]) => this.recorded(events);
    source.bus.on("tasksSubmitted", onSubmitted);
    source.bus.on("tasksChanged", onChanged);
    source.bus.on("taskEventsRecorded", onEvents);
    this.unwatch = () => {
      source.bus.off("tasksSubmitted", onSubmitted);
      source.bus.off("tasksChanged", onChanged);
      source.bus.off("taskEventsRecorded", onEvents);
    };
  }

  private submitted(tasks: TaskState[]) {
    const scope = this.requests.getStore();
    if (!scope?.open) return;
    const parent = scope.span.spanContext();
    for (const t of tasks) if (t.runId == null) remember(this.parents, t.id, parent);
  }

  private liveTask(id: string, fromStart: boolean): LiveTask {
    let t = this.live.get(id);
    if (!t || fromStart) {
      t = { events: [], fromStart, final: t?.final ?? null };
      remember(this.live, id, t);
    }
    return t;
  }

  /** Runs inside the coordinator's publish: only bookkeeping here, the spans are made a moment later. */
  private recorded(events: TaskEventView[]) {
    for (const e of events) {
      if (!PLANNED_EVENTS.has(e.type)) continue;
      // An operator's retry is a new life of the same task: it stays in the submitter's trace.
      const ended = e.type === "requeued" ? this.endedParents.get(e.taskId) : undefined;
      if (ended) {
        this.endedParents.delete(e.taskId);
        remember(this.parents, e.taskId, ended);
      }
      const t = this.liveTask(e.taskId, e.type === "submitted" || e.type === "requeued");
      if (t.events.length < MAX_EVENTS_PER_TASK || endsLife(e)) t.events.push({ type: e.type, at: e.at, attempt: e.attempt, agentId: e.agentId, agentName: e.agentName, message: e.message });
      if (endsLife(e) && t.final) {
        this.live.delete(e.taskId);
        this.ended.push(t);
        if (!this.endScheduled) {
          this.endScheduled = true;
          setImmediate(() => this.endTasks());
        }
      }
    }
  }

  private endTasks() {
    this.endScheduled = false;
    const ended = this.ended;
    this.ended = [];
    for (const t of ended) {
      const task = t.final!;
      const parent = this.parents.get(task.id) ?? null;
      if (parent) {
        this.parents.delete(task.id);
        remember(this.endedParents, task.id, parent, MAX_ENDED_PARENTS);
      }
      if (t.fromStart || !this.source) {
        this.record(planTaskSpans(task, t.events, parent));
        continue;
      }
      // Live before this process started (or forgotten for room): its history is in the store.
      const source = this.source;
      const p = source
        .history(task.id)
        .then((stored) => this.record(planTaskSpans(task, stored.map((e) => ({ ...e, agentName: e.agentId ? source.agentName(e.agentId) : null })), parent)))
        .catch((e: unknown) => log.warn("could not read a task's history for its trace", { taskId: task.id, error: (e as Error).message }))
        .finally(() => this.loading.delete(p));
      this.loading.add(p);
    }
  }

  /** Makes the planned spans: the task span with its derived ids, then its children under it. */
  record(plan: TaskTracePlan) {
    const parentCtx = plan.parent ? trace.setSpanContext(ROOT_CONTEXT, plan.parent) : ROOT_CONTEXT;
    const taskSpan = this.ids.seed({ traceId: plan.parent ? undefined : plan.traceId, spanId: plan.task.spanId }, () => this.start(plan.task, parentCtx));
    const ctx = trace.setSpan(ROOT_CONTEXT, taskSpan);
    for (const child of plan.children) this.ids.seed({ spanId: child.spanId }, () => this.start(child, ctx)).end(hr(child.end));
    taskSpan.end(hr(plan.task.end));
  }

  private start(p: PlannedSpan, ctx: Context): Span {
    const span = this.tracer.startSpan(p.name, { kind: SpanKind.INTERNAL, startTime: hr(p.start), attributes: p.attributes }, ctx);
    for (const e of p.events) span.addEvent(e.name, e.attributes ?? {}, hr(e.at));
    if (p.error != null) span.setStatus({ code: SpanStatusCode.ERROR, message: p.error });
    return span;
  }

  /**
   * Where attempt `attempt` of a task sits: its trace (the submitting request's, else the one
   * derived from the task id) and the attempt span's derived id, which is the span made when the
   * task ends. Sampled unless the submitter's trace is not.
   */
  attemptContext(taskId: string, attempt: number): SpanContext {
    const parent = this.parents.get(taskId) ?? this.endedParents.get(taskId);
    return {
      traceId: parent?.traceId ?? traceIdOf(taskId),
      spanId: attemptSpanIdOf(taskId, attempt),
      traceFlags: parent ? parent.traceFlags : TraceFlags.SAMPLED,
      isRemote: false,
    };
  }

  withTraceparent(assignment: Assignment): Assignment {
    return { ...assignment, traceparent: formatTraceparent(this.attemptContext(assignment.taskId, assignment.attempt)) };
  }

  // ---- Requests and socket events --------------------------------------------------------

  /** Runs `handle` inside a server span for the request; the span ends with the response. */
  serveHttp(req: IncomingMessage, res: ServerResponse, url: URL, handle: () => unknown) {
    const method = (req.method ?? "GET").toUpperCase();
    const { name, route, attributes } = this.routeOf(method, url.pathname);
    const remote = parseTraceparent(req.headers.traceparent);
    if (remote && typeof req.headers.tracestate === "string") remote.traceState = createTraceState(req.headers.tracestate.slice(0, 512));
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route, "url.path": url.pathname.slice(0, 256), "url.scheme": "http", ...attributes } },
      remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT,
    );
    const scope: RequestScope = { span, open: true };
    const end = () => {
      if (!scope.open) return;
      scope.open = false;
      span.setAttribute("http.response.status_code", res.statusCode);
      if (!res.writableFinished) span.setAttribute("switchboard.http.aborted", true);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once("finish", end);
    res.once("close", end);
    return this.requests.run(scope, handle);
  }

  /** Bounded names: the REST route template, a known tRPC procedure, or "mcp". */
  private routeOf(method: string, path: string): { name: string; route: string; attributes: Attributes } {
    if (path === "/mcp") return { name: `${method} /mcp`, route: "/mcp", attributes: {} };
    if (path.startsWith("/api/trpc/")) {
      const procedures = path.slice("/api/trpc/".length).split(",");
      const known = procedures.filter((p) => this.trpcProcedures.has(p));
      const route = procedures.length > 1 ? "/api/trpc/(batch)" : `/api/trpc/${known[0] ?? "unknown"}`;
      return { name: `${method} ${route}`, route, attributes: { "switchboard.trpc.procedures": known.slice(0, 20) } };
    }
    const r = restRouteOf(method, path);
    // restRouteOf says "other …" for paths no route matches: those stay one name per prefix.
    const route = r.startsWith("other ") ? (path.startsWith("/api/v1/") ? "/api/v1/(unmatched)" : path.startsWith("/api/auth/") ? "/api/auth" : "/api/(unmatched)") : r.slice(r.indexOf(" ") + 1);
    return { name: `${method} ${route}`, route, attributes: {} };
  }

  /**
   * Made after the ack, with the time it took: no context to carry through the handler. A task
   * report is a child of its attempt's span (derived id), so it lands inside the attempt.
   */
  socketEvent(event: string, arg: unknown, ms: number, ack: Ack, agentId?: string) {
    if (!TRACED_SOCKET_EVENTS.has(event) || this.closed) return;
    const ref = (arg ?? {}) as { taskId?: unknown; attempt?: unknown };
    const report = typeof ref.taskId === "string" && ref.taskId.length <= 64 && Number.isInteger(ref.attempt) && (ref.attempt as number) >= 1;
    const endAt = Date.now();
    const span = this.tracer.startSpan(
      `socket ${event}`,
      {
        kind: SpanKind.SERVER,
        startTime: hr(endAt - ms),
        attributes: {
          "rpc.system": "socket.io",
          "rpc.method": event,
          ...(agentId ? { "switchboard.agent.id": agentId } : {}),
          ...(report ? { "switchboard.task.id": ref.taskId as string, "switchboard.attempt": ref.attempt as number } : {}),
          "switchboard.ack": ack.ok ? "ok" : ack.error.code,
        },
      },
      report ? trace.setSpanContext(ROOT_CONTEXT, this.attemptContext(ref.taskId as string, ref.attempt as number)) : ROOT_CONTEXT,
    );
    if (!ack.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: `${ack.error.code}: ${ack.error.message.slice(0, 500)}` });
    span.end(hr(endAt));
  }

  // ---- Life cycle ------------------------------------------------------------------------

  /** Everything ended so far is exported (or its export failed, which is logged) when this resolves. */
  async flush() {
    if (this.endScheduled) this.endTasks();
    await Promise.all([...this.loading]);
    await this.provider.forceFlush().catch((e: unknown) => log.warn("tracing: could not export spans", { error: String((e as Error)?.message ?? e).slice(0, 500) }));
  }

  /**
   * After the coordinator stopped (its last batch is traced), before the store closes (histories
   * are read from it). A collector that is down does not hold up the server's exit: the last
   * spans get SHUTDOWN_MS, then they are dropped.
   */
  async shutdown() {
    if (this.closed) return;
    const done = (async () => {
      await this.flush();
      this.closed = true;
      this.unwatch?.();
      await this.provider.shutdown().catch((e: unknown) => log.warn("tracing: could not export the last spans", { error: String((e as Error)?.message ?? e).slice(0, 500) }));
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn("tracing: gave up exporting the last spans", { afterMs: SHUTDOWN_MS });
        resolve();
      }, SHUTDOWN_MS);
      timer.unref();
    });
    await Promise.race([done, late]);
    clearTimeout(timer);
    this.closed = true;
    this.unwatch?.();
  }
}
