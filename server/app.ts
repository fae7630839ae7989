// Builds the one Switchboard process: the store, the coordinator, and one HTTP server that
// serves tRPC and REST before handing everything else to Next, with Socket.IO on the same port.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { Server as SocketServer } from "socket.io";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { z } from "zod";
import type { ServerEnv } from "@/lib/env";
import { LIMITS } from "@/lib/protocol";
import { Coordinator } from "./coordinator/coordinator";
import { systemClock } from "./core/clock";
import { migrate, openDb } from "./store/db";
import { PrismaStore } from "./store/prisma-store";
import { TokenService } from "./auth/tokens";
import { SESSION_COOKIE, SessionService, clearSessionCookie, readCookie, sessionCookie } from "./auth/session";
import { AuditService } from "./auth/audit";
import { IncidentService } from "./coordinator/incidents";
import { Gateway, RateLimitedError, securityHeaders, sendRateLimited } from "./gateway/gateway";
import { clientIp, setTrustProxy } from "./gateway/client-ip";
import { restRouteOf } from "./http/rest-v1";
import { persistentSecret, randomPassword } from "./auth/bootstrap";
import { appRouter } from "./api/root";
import { createContext } from "./api/trpc";
import { handleRestV1 } from "./http/rest-v1";
import { handleMcp } from "./mcp/mcp-endpoint";
import { parseWith, readJson, sendError, sendJson } from "./http/json";
import { AppError } from "./errors";
import { attachAgentsGateway } from "./realtime/agents-gateway";
import { attachDashboardGateway } from "./realtime/dashboard-gateway";
import { log, setLogLevel } from "./log";
import { WorkflowStore } from "./workflows/workflow-store";
import { WorkflowService } from "./workflows/workflow-service";
import { MessageService } from "./messaging/message-service";

export interface RunningServer {
  url: string;
  port: number;
  admin: { username: string; password: string; generated: boolean };
  coordinator: Coordinator;
  workflows: WorkflowService;
  tokens: TokenService;
  close(): Promise<void>;
}

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });

/** Paths a browser may load without a session. */
const PUBLIC_PATH = /^\/(login(\/|$)|_next\/|icon\.svg$|favicon\.ico$|healthz$)/;


export async function startServer(env: ServerEnv): Promise<RunningServer> {
  setLogLevel(env.SWITCHBOARD_LOG_LEVEL);
  const t0 = Date.now();
  await migrate(env.DATABASE_URL);
  const { db, connection } = await openDb(env.DATABASE_URL);
  const store = new PrismaStore(db, connection);
  const coordinator = new Coordinator({
    store,
    clock: systemClock,
    heartbeatIntervalMs: env.SWITCHBOARD_HEARTBEAT_MS,
    leaseTtlMs: env.SWITCHBOARD_LEASE_TTL_MS,
    defaultStrategy: env.SWITCHBOARD_STRATEGY,
    restoreGraceMs: env.SWITCHBOARD_RESTART_GRACE_MS,
  });
  await coordinator.start();
  const workflows = new WorkflowService({ store: new WorkflowStore(db), coordinator, clock: systemClock });
  await workflows.start();
  const messages = new MessageService({ coordinator, clock: systemClock });
  await messages.start();

  const dataDir = path.resolve(env.SWITCHBOARD_DATA_DIR);
  const pw = env.SWITCHBOARD_ADMIN_PASSWORD
    ? { value: env.SWITCHBOARD_ADMIN_PASSWORD, created: false }
    : persistentSecret(dataDir, "admin-password", randomPassword);
  const sessions = new SessionService({ db, hours: env.SWITCHBOARD_SESSION_HOURS, clock: systemClock });
  const bootstrapped = await sessions.bootstrap(env.SWITCHBOARD_ADMIN_USER, pw.value);
  if (bootstrapped) log.info("created the bootstrap admin", { username: env.SWITCHBOARD_ADMIN_USER });
  const tokens = new TokenService(store, systemClock);
  const audit = new AuditService({ db, clock: systemClock });
  setTrustProxy(env.SWITCHBOARD_TRUST_PROXY);
  const perSecond = (r: { rate: number; burst: number }) => ({ perSecond: r.rate, burst: r.burst });
  const gateway = new Gateway({
    clock: systemClock,
    sessions,
    limits: {
      caller: perSecond(env.SWITCHBOARD_RATE_LIMIT),
      ip: perSecond(env.SWITCHBOARD_IP_RATE_LIMIT),
      login: { perSecond: env.SWITCHBOARD_LOGIN_RATE_LIMIT.rate / 60, burst: env.SWITCHBOARD_LOGIN_RATE_LIMIT.burst },
      socketEvents: perSecond(env.SWITCHBOARD_SOCKET_RATE_LIMIT),
    },
  });
  const incidents = new IncidentService({ db, clock: systemClock, coordinator });
  const services = { coordinator, tokens, sessions, workflows, messages, audit, requestStats: gateway.stats, incidents };
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
    const { default: next } = await import("next");
    const app = next({ dev: env.NODE_ENV !== "production", dir: path.resolve(import.meta.dirname, ".."), quiet: true });
    await app.prepare();
    nextHandler = app.getRequestHandler();
    nextUpgrade = app.getUpgradeHandler(); // dev mode: hot reload over a websocket
    nextApp = app as unknown as { close?: () => Promise<void> };
  }

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: (opts) => createContext(services, opts),
    maxBodySize: LIMITS.requestBodyBytes,
  });

  const headers = securityHeaders(env.NODE_ENV === "development");
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;
    if (p === "/mcp" || p.startsWith("/api/")) return void api(req, res, url);
    if (p === "/healthz") return sendJson(res, 200, { ok: true });
    if (!nextHandler) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "The dashboard is disabled (SWITCHBOARD_NO_UI)." } });
    void page(req, res, url);
  });

  /** Every API request: tracked, rate-limited, CSRF-checked, then routed (each layer authorizes). */
  async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
    const p = url.pathname;
    const started = performance.now();
    let caller: string | null = null;
    const routes = p === "/mcp" ? ["mcp"] : p.startsWith("/api/trpc/") ? p.slice("/api/trpc/".length).split(",").map((x) => `trpc ${x.slice(0, 64)}`) : [restRouteOf(req.method ?? "GET", p)];
    res.on("finish", () => {
      const ms = performance.now() - started;
      for (const r of routes) gateway.stats.record(r, res.statusCode, ms, caller);
    });
    try {
      caller = await gateway.admit(req);
      gateway.checkCsrf(req);
    } catch (e) {
      if (e instanceof RateLimitedError) return sendRateLimited(res, e);
      return sendError(res, e);
    }
    if (p === "/mcp") return void handleMcp(req, res, services);
    if (p.startsWith("/api/trpc/")) {
      // tRPC's adapter throws on other methods, and waits to read a body it will refuse.
      if (req.method !== "GET" && req.method !== "POST") {
        res.setHeader("allow", "GET, POST");
        return sendJson(res, 405, { error: { code: "BAD_REQUEST", message: `${req.method} is not allowed on ${p}.` } });
      }
      if (Number(req.headers["content-length"] ?? 0) > LIMITS.requestBodyBytes) {
        return sendJson(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${LIMITS.requestBodyBytes} bytes.` } });
      }
      return void trpc(req, res);
    }
    if (p.startsWith("/api/v1/")) return void handleRestV1(req, res, url, services);
    if (p === "/api/auth/login") return void login(req, res);
    if (p === "/api/auth/logout") return void logout(req, res);
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

  async function login(req: IncomingMessage, res: ServerResponse) {
    const ip = clientIp(req);
    let username = "";
    try {
      if (req.method !== "POST") throw new AppError("BAD_REQUEST", "Use POST with {username, password}.");
      const body = parseWith(loginSchema, await readJson(req, 16 * 1024));
      username = body.username;
      gateway.admitLogin(req, body.username);
      const s = await sessions.login(body.username, body.password, ip).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "UNAUTHORIZED") gateway.loginFailed(req, body.username);
        throw e;
      });
      const secure = (req.headers["x-forwarded-proto"] ?? "") === "https" || "encrypted" in req.socket;
      res.setHeader("set-cookie", sessionCookie(s.secret, s.maxAgeSeconds, secure));
      void audit.record({ principal: null, actor: s.user.username, action: "login", ip, outcome: "ok" });
      sendJson(res, 200, { username: s.user.username, role: s.user.role });
    } catch (e) {
      if (username) void audit.record({ principal: null, actor: username.slice(0, 64), action: "login", ip, outcome: e instanceof RateLimitedError ? "denied" : "failed", details: { reason: (e as Error).message } });
      if (e instanceof RateLimitedError) return sendRateLimited(res, e);
      sendError(res, e);
    }
  }

  async function logout(req: IncomingMessage, res: ServerResponse) {
    try {
      if (req.method !== "POST") throw new AppError("BAD_REQUEST", "Use POST to log out.");
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      const user = await sessions.verify(cookie);
      await sessions.logout(cookie);
      if (user) void audit.record({ principal: { kind: "user", user }, action: "logout", ip: clientIp(req), outcome: "ok" });
      res.setHeader("set-cookie", clearSessionCookie);
      sendJson(res, 200, { ok: true });
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
  attachAgentsGateway(io, { coordinator, tokens, messages, stats: gateway.stats, eventLimit: gateway.limits.socketEvents });
  const dashboard = attachDashboardGateway(io, { coordinator, sessions, tokens, workflows, messages });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const url = `http://${host}:${port}`;
  log.info("switchboard listening", { url, startupMs: Date.now() - t0, ui: !env.SWITCHBOARD_NO_UI });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    admin: { username: env.SWITCHBOARD_ADMIN_USER, password: pw.value, generated: pw.created },
    coordinator,
    workflows,
    tokens,
    close: () =>
      (closing ??= (async () => {
        dashboard.close();
        io.close();
        server.closeAllConnections?.();
        await new Promise<void>((r) => server.close(() => r()));
        await workflows.stop();
        await coordinator.stop();
        await nextApp?.close?.().catch(() => {});
        await store.close();
      })()),
  };
}
