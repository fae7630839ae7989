// Builds the one Switchboard process: the store, the coordinator, and one HTTP server that
// serves tRPC and REST before handing everything else to Next, with Socket.IO on the same port.
import { AlertEngine } from "@/server/alerts/alert-engine";
import { Notifier } from "@/server/alerts/notifier";
import { smtpMailer } from "@/server/notify/mailer";
import { ReportService } from "@/server/reports/report-service";
import { PoolManager } from "@/server/pools/pool-manager";
import { localLauncher } from "@/server/pools/local-launcher";
import { prepareRunnerBundle } from "@/server/pools/runner-bundle";
import { HostRegistry } from "@/server/pools/host-registry";
import { attachPoolHostsSocket } from "@/server/realtime/pool-hosts-socket";
import { poolView } from "@/server/services/pools";
import type { AlertFacts } from "@/server/core/alerts/conditions";
import { buildFleetReport } from "@/server/reports/report-builder";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { Server as SocketServer } from "socket.io";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { ServerEnv } from "@/lib/env";
import { LIMITS } from "@/lib/protocol";
import { Coordinator } from "./coordinator/coordinator";
import { systemClock } from "./core/clock";
import { openStore } from "./store/open";
import type { Fence } from "./store/postgres/fence";
import { TokenService } from "./auth/tokens";
import { SESSION_COOKIE, SessionService, readCookie } from "./auth/session";
import { AuditService } from "./auth/audit";
import { IncidentService } from "./coordinator/incidents";
import { Admission, RateLimitedError, securityHeaders, sendRateLimited } from "./admission/admission";
import { OverloadGuard } from "./admission/overload";
import { retryAfterHeader, retryAfterMsOf } from "./errors";
import { setTrustProxy } from "./admission/client-ip";
import { handleAuth } from "./http/auth-routes";
import { handleRestApi } from "./http/rest-api";
import { restRouteOf } from "./http/rest-routes";
import { ServiceContext } from "./services/context";
import { persistentSecret, randomPassword } from "./auth/bootstrap";
import { appRouter } from "./api/root";
import { createContext } from "./api/trpc";
import { handleMcp } from "./mcp/mcp-endpoint";
import { sendError, sendJson } from "./http/json";
import { clip } from "@/lib/validation";
import { attachAgentsSocket } from "./realtime/agents-socket";
import { attachDashboardSocket } from "./realtime/dashboard-socket";
import { log, setLogLevel } from "./log";
import { openApiDocument } from "./http/openapi";
import { WorkflowService } from "./workflows/workflow-service";
import { MessageService } from "./messaging/message-service";
import { startTracing } from "./tracing";
import { startMetrics } from "./metrics/metrics";

export interface RunningServer {
  url: string;
  port: number;
  admin: { username: string; password: string; generated: boolean };
  coordinator: Coordinator;
  workflows: WorkflowService;
  tokens: TokenService;
  /** Stops listening and closes every connection (the first step of close; a stepping-down replica takes it first). */
  disconnect(): Promise<void>;
  close(): Promise<void>;
}


/** The requests that bring new tasks: shed first under overload. */
function isSubmission(method: string | undefined, p: string) {
  return method === "POST" && (p === "/api/v1/tasks" || p === "/api/trpc/tasks.submit");
}

/** Paths a browser may load without a session. */
const PUBLIC_PATH = /^\/(login(\/|$)|_next\/|icon\.svg$|favicon\.ico$|healthz$|readyz$)/;


/** Next, prepared once per process (a replica that leads again reuses it). */
let preparedNext: ReturnType<typeof prepareNext> | null = null;
async function prepareNext(env: ServerEnv) {
  const { default: next } = await import("next");
  const app = next({ dev: env.NODE_ENV !== "production", dir: path.resolve(import.meta.dirname, ".."), quiet: true });
  await app.prepare();
  return app;
}

/** A shutdown longer than this is logged as a warning, with what each step took. */
const SLOW_SHUTDOWN_MS = 3_000;

/** `fence`: this process leads replicas (server/cluster/replica.ts); its group commits carry the epoch. */
export async function startServer(env: ServerEnv, opts: { fence?: Fence } = {}): Promise<RunningServer> {
  setLogLevel(env.SWITCHBOARD_LOG_LEVEL);
  const t0 = Date.now();
  const store = await openStore(env.DATABASE_URL, { fence: opts.fence });
  const coordinator = new Coordinator({
    store,
    clock: systemClock,
    heartbeatIntervalMs: env.SWITCHBOARD_HEARTBEAT_MS,
    leaseTtlMs: env.SWITCHBOARD_LEASE_TTL_MS,
    defaultStrategy: env.SWITCHBOARD_STRATEGY,
    restoreGraceMs: env.SWITCHBOARD_RESTART_GRACE_MS,
    forgetOfflineAfterMs: env.SWITCHBOARD_FORGET_OFFLINE_AFTER,
    recordInsight: env.SWITCHBOARD_ANALYTICS === "on",
    retention: {
      logsMs: env.SWITCHBOARD_RETAIN_LOGS,
      tasksMs: env.SWITCHBOARD_RETAIN_TASKS,
      samplesMs: env.SWITCHBOARD_RETAIN_SAMPLES,
      minuteRollupsMs: env.SWITCHBOARD_RETAIN_MINUTE_ROLLUPS,
      rollupsMs: env.SWITCHBOARD_RETAIN_ROLLUPS,
    },
  });
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; watching before start() sees every task event.
  const tracing = await startTracing(env, { trpcProcedures: Object.keys(appRouter._def.procedures) });
  tracing?.watch({ bus: coordinator.bus, history: (id) => store.tasks.events(id, 1000), agentName: (id) => coordinator.agent(id)?.name ?? null });
  await coordinator.start();
  const workflows = new WorkflowService({ store: store.workflows, coordinator, clock: systemClock, insight: store.insight });
  await workflows.start();
  const messages = new MessageService({ coordinator, clock: systemClock, store: store.messages });
  await messages.start();

  const dataDir = path.resolve(env.SWITCHBOARD_DATA_DIR);
  const pw = env.SWITCHBOARD_ADMIN_PASSWORD
    ? { value: env.SWITCHBOARD_ADMIN_PASSWORD, created: false }
    : persistentSecret(dataDir, "admin-password", randomPassword);
  const sessions = new SessionService({ users: store.users, sessions: store.sessions, hours: env.SWITCHBOARD_SESSION_HOURS, clock: systemClock });
  const bootstrapped = await sessions.bootstrap(env.SWITCHBOARD_ADMIN_USER, pw.value);
  if (bootstrapped) log.info("created the bootstrap admin", { username: env.SWITCHBOARD_ADMIN_USER });
  const tokens = new TokenService(store.tokens, systemClock);
  const audit = new AuditService({ audit: store.audit, clock: systemClock });
  setTrustProxy(env.SWITCHBOARD_TRUST_PROXY);
  const perSecond = (r: { rate: number; burst: number }) => ({ perSecond: r.rate, burst: r.burst });
  const admission = new Admission({
    clock: systemClock,
    sessions,
    limits: {
      caller: perSecond(env.SWITCHBOARD_RATE_LIMIT),
      ip: perSecond(env.SWITCHBOARD_IP_RATE_LIMIT),
      login: { perSecond: env.SWITCHBOARD_LOGIN_RATE_LIMIT.rate / 60, burst: env.SWITCHBOARD_LOGIN_RATE_LIMIT.burst },
      socketEvents: perSecond(env.SWITCHBOARD_SOCKET_RATE_LIMIT),
    },
  });
  const incidents = new IncidentService({ incidents: store.incidents, clock: systemClock, coordinator });
  const overload = new OverloadGuard(systemClock, { targetLagMs: env.SWITCHBOARD_OVERLOAD_LAG_MS || 1, maxUnfinished: env.SWITCHBOARD_MAX_UNFINISHED }, env.SWITCHBOARD_OVERLOAD_LAG_MS > 0);
  overload.start();
  const services = new ServiceContext({ coordinator, tokens, sessions, workflows, messages, audit, requestStats: admission.stats, incidents, clock: systemClock, store, tracing, overload });
  const mailer = smtpMailer(env.SWITCHBOARD_SMTP_URL, env.SWITCHBOARD_SMTP_FROM);
  const publicUrl = (env.SWITCHBOARD_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  const notifier = new Notifier({ store: store.alerts, mailer, clock: systemClock, externalUrl: `${publicUrl}/alerts` });
  let poolFacts: () => AlertFacts["pools"] = () => [];
  const alerts = new AlertEngine({ store: store.alerts, coordinator, workflows, insight: services.insight, notifier, clock: systemClock, evalMs: env.SWITCHBOARD_ALERT_EVAL_MS, restartGraceMs: env.SWITCHBOARD_RESTART_GRACE_MS, pools: () => poolFacts() });
  await alerts.start();
  services.useAlerts(alerts);
  const reportSources = { insight: services.insight, alerts: store.alerts, rules: () => alerts.ruleList(), now: () => systemClock.now() };
  const reports = new ReportService({ store: store.reports, clock: systemClock, build: (q) => buildFleetReport(reportSources, q), channels: () => alerts.channelList(), send: (c, key, m) => notifier.sendReport(c, key, m), publicUrl });
  await reports.start();
  services.useReports(reports);
  const metrics = await startMetrics({ coordinator, alerts, services, store, listen: env.SWITCHBOARD_METRICS_ADDR });
  const maintenance = setInterval(() => {
    void sessions.prune().catch(() => {});
    void audit.prune(Date.now() - 365 * 86_400_000).catch(() => {});
    void incidents.prune(Date.now() - 30 * 86_400_000).catch(() => {});
  }, 3_600_000);
  maintenance.unref();

  let nextHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  let nextUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>) | null = null;
  let nextApp: { close?: () => Promise<void> } | null = null;
  if (!env.SWITCHBOARD_NO_UI) {
    // Built before Next loads: server-side rendering loads lib/api a second time, whose schemas
    // register the same ids in zod's global registry again, and the document (built from that
    // registry) could no longer be generated. Built once, it is cached for the process.
    openApiDocument();
    const app = await (preparedNext ??= prepareNext(env));
    nextHandler = app.getRequestHandler();
    nextUpgrade = app.getUpgradeHandler(); // dev mode: hot reload over a websocket
    // A replica that steps down may lead again in this process: it keeps Next prepared.
    if (!opts.fence) nextApp = app as unknown as { close?: () => Promise<void> };
  }

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: (opts) => createContext(services, opts),
    maxBodySize: LIMITS.requestBodyBytes,
    // A refusal that passes (load shedding) says when to come back, as REST does.
    responseMeta: ({ errors }) => {
      const ms = errors.map((e) => retryAfterMsOf(e.cause)).find((v) => v !== undefined);
      return ms === undefined ? {} : { headers: { "retry-after": retryAfterHeader(ms) } };
    },
  });

  const headers = securityHeaders(env.NODE_ENV === "development");
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;
    if (tracing && (p === "/mcp" || p.startsWith("/api/"))) return void tracing.serveHttp(req, res, url, () => api(req, res, url));
    if (p === "/mcp" || p.startsWith("/api/") || p === "/metrics") return void api(req, res, url);
    if (p === "/healthz") return sendJson(res, 200, { ok: true });
    // Ready: it listens once the coordinator has recovered, so a balancer may send it anything.
    if (p === "/readyz") return sendJson(res, 200, { ok: true, role: opts.fence ? "leader" : "single" });
    if (!nextHandler) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "The dashboard is disabled (SWITCHBOARD_NO_UI)." } });
    void page(req, res, url);
  });

  /** Every API request: tracked, rate-limited, CSRF-checked, then routed (each layer authorizes). */
  async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
    const p = url.pathname;
    const started = performance.now();
    let caller: string | null = null;
    const routes = p === "/mcp" ? ["mcp"] : p === "/metrics" ? ["metrics"] : p.startsWith("/api/trpc/") ? p.slice("/api/trpc/".length).split(",").map((x) => `trpc ${x.slice(0, 64)}`) : [restRouteOf(req.method ?? "GET", p)];
    const submission = isSubmission(req.method, p);
    res.on("finish", () => {
      const ms = performance.now() - started;
      // Accepted ones only: quick refusals would hide how long the accepted wait.
      if (submission && res.statusCode < 300) overload.submissionAnswered(ms);
      for (const r of routes) admission.stats.record(r, res.statusCode, ms, caller);
      metrics.requestFinished(req.method, routes, res.statusCode, ms);
    });
    try {
      // Shedding first, before the body is read: while the loop is behind, a refusal must cost
      // next to nothing. (The service decides again, per task, once it knows how many.)
      if (submission) overload.admitsMore();
      caller = await admission.admit(req);
      admission.checkCsrf(req);
    } catch (e) {
      if (e instanceof RateLimitedError) return sendRateLimited(res, e);
      return sendError(res, e);
    }
    if (p === "/mcp") return void handleMcp(req, res, services);
    if (p === "/metrics") return void metrics.serve(req, res);
    if (p.startsWith("/api/trpc/")) {
      // tRPC's adapter throws on other methods, and waits to read a body it will refuse.
      if (req.method !== "GET" && req.method !== "POST") {
        res.setHeader("allow", "GET, POST");
        return sendJson(res, 405, { error: { code: "BAD_REQUEST", message: `${req.method} is not allowed on ${p}.` } });
      }
      // tRPC's own 415 is labelled text/plain and cut short; answer in JSON, like every other error.
      const type = String(req.headers["content-type"] ?? "");
      if (req.method === "POST" && type && !/^application\/json\b/i.test(type)) {
        return sendJson(res, 415, { error: { code: "BAD_REQUEST", message: `Content-Type must be application/json for ${p} (got ${clip(type, 60)}).` } });
      }
      if (Number(req.headers["content-length"] ?? 0) > LIMITS.requestBodyBytes) {
        return sendJson(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${LIMITS.requestBodyBytes} bytes.` } });
      }
      return void trpc(req, res);
    }
    if (p.startsWith("/api/v1/")) return void handleRestApi(req, res, url, services);
    if (handleAuth(req, res, p, { sessions, tokens, audit, admission })) return;
    sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No API route ${p}.` } });
  }

  /** Pages need a session; the browser is sent to the login page instead of rendering a shell. */
  async function page(req: IncomingMessage, res: ServerResponse, url: URL) {
    try {
      if (!PUBLIC_PATH.test(url.pathname) && !(await sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE)))) {
        res.writeHead(302, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` });
        return void res.end();
      }
      await nextHandler!(req, res);
    } catch (e) {
      sendError(res, e);
    }
  }

  const io = new SocketServer(server, {
    maxHttpBufferSize: LIMITS.requestBodyBytes * 2,
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    destroyUpgrade: false, // upgrades outside /socket.io belong to Next (hot reload)
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (nextUpgrade) nextUpgrade(req, socket, head).catch(() => socket.destroy());
    else socket.destroy();
  });
  attachAgentsSocket(io, { services, stats: admission.stats, eventLimit: admission.limits.socketEvents });
  const poolHosts = new HostRegistry(() => systemClock.now());
  attachPoolHostsSocket(io, { tokens, hosts: poolHosts });
  const dashboard = attachDashboardSocket(io, { services });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const url = `http://${host}:${port}`;
  log.info("switchboard listening", { url, startupMs: Date.now() - t0, ui: !env.SWITCHBOARD_NO_UI });
  // Pools start once the server listens: their local agents connect to it at once.
  const localUrl = `http://${["0.0.0.0", "::", "localhost"].includes(env.HOST) ? "127.0.0.1" : env.HOST}:${port}`;
  const pools = new PoolManager({
    store: store.pools,
    coordinator,
    clock: systemClock,
    launcher: localLauncher(dataDir),
    hosts: poolHosts,
    onTasksSubmitted: (listener) => {
      // After the batch is durable: the tasks are in the ready queue by then.
      const on = (tasks: { status: string }[]) => tasks.some((t) => t.status === "queued") && listener();
      coordinator.bus.on("tasksChanged", on);
      return () => coordinator.bus.off("tasksChanged", on);
    },
    serverUrl: () => localUrl,
    forecast: async (capability) => (await services.insight.capacity({})).capabilities.find((c) => c.capability === capability)?.forecast.map((f) => ({ at: f.at, slotsNeeded: f.slotsNeeded })) ?? [],
  });
  await pools.start();
  services.usePools(pools);
  void prepareRunnerBundle();
  poolFacts = () => pools.poolList().map((p) => poolView(services, p)).map((v) => ({ name: v.name, atMax: v.atMax, wanted: v.last?.wanted ?? v.current, max: v.policy.max, crashes: v.crashes }));

  let closing: Promise<void> | null = null;
  let disconnecting: Promise<void> | null = null;
  const disconnect = () =>
    (disconnecting ??= new Promise<void>((r) => {
      dashboard.close();
      io.close();
      server.closeAllConnections?.();
      server.close(() => r());
    }));
  return {
    url,
    port,
    admin: { username: env.SWITCHBOARD_ADMIN_USER, password: pw.value, generated: pw.created },
    coordinator,
    workflows,
    tokens,
    disconnect,
    close: () =>
      (closing ??= (async () => {
        // Each step is timed: a slow shutdown is a slow restart, and the log says which step.
        const took: Record<string, number> = {};
        const step = async (name: string, fn: () => unknown) => {
          const t0 = performance.now();
          await fn();
          took[name] = Math.round(performance.now() - t0);
          if (took[name] > SLOW_SHUTDOWN_MS / 3) log.warn("a slow shutdown step", { step: name, ms: took[name] });
        };
        // Alerts first: closing the sockets makes every agent look gone, which is no outage.
        await step("pools", () => pools.stop()); // its agents keep running: the next start adopts them
        await step("reports", () => reports.stop());
        await step("alerts", () => alerts.stop());
        notifier.stop();
        overload.stop();
        await step("metrics", () => metrics.close());
        await step("sockets", disconnect);
        await step("workflows", () => workflows.stop());
        await step("coordinator", () => coordinator.stop());
        await step("tracing", () => tracing?.shutdown()); // the last batch's spans; histories may still be read from the store
        await step("next", () => nextApp?.close?.().catch(() => {}));
        await step("store", () => store.close());
        const total = Object.values(took).reduce((a, b) => a + b, 0);
        (total > SLOW_SHUTDOWN_MS ? log.warn : log.info)("stopped", { ms: took });
      })()),
  };
}
