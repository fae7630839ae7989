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
import { persistentSecret, randomPassword, randomSecret } from "./auth/bootstrap";
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

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
};

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
  const secret = env.SWITCHBOARD_SESSION_SECRET ?? persistentSecret(dataDir, "session-secret", randomSecret).value;
  const sessions = new SessionService({ username: env.SWITCHBOARD_ADMIN_USER, password: pw.value, secret, hours: env.SWITCHBOARD_SESSION_HOURS, clock: systemClock });
  const tokens = new TokenService(store, systemClock);
  const services = { coordinator, tokens, sessions, workflows, messages };

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

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;
    if (p === "/mcp") return void handleMcp(req, res, services);
    if (p.startsWith("/api/trpc/")) return void trpc(req, res);
    if (p.startsWith("/api/v1/")) return void handleRestV1(req, res, url, services);
    if (p === "/api/auth/login") return void login(req, res);
    if (p === "/api/auth/logout") {
      res.setHeader("set-cookie", clearSessionCookie);
      return sendJson(res, 200, { ok: true });
    }
    if (p === "/healthz") return sendJson(res, 200, { ok: true });
    if (p.startsWith("/api/")) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No API route ${p}.` } });
    if (!nextHandler) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "The dashboard is disabled (SWITCHBOARD_NO_UI)." } });
    // Pages need a session; send the browser to the login page instead of rendering a shell.
    if (!PUBLIC_PATH.test(p) && !sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE))) {
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(p + url.search)}` });
      return void res.end();
    }
    nextHandler(req, res).catch((e) => sendError(res, e));
  });

  async function login(req: IncomingMessage, res: ServerResponse) {
    try {
      if (req.method !== "POST") throw new AppError("BAD_REQUEST", "Use POST with {username, password}.");
      const body = parseWith(loginSchema, await readJson(req, 16 * 1024));
      if (!sessions.checkPassword(body.username, body.password)) throw new AppError("UNAUTHORIZED", "Wrong username or password.");
      const s = sessions.issue(body.username);
      const secure = (req.headers["x-forwarded-proto"] ?? "") === "https";
      res.setHeader("set-cookie", sessionCookie(s.value, s.maxAgeSeconds, secure));
      sendJson(res, 200, { username: body.username });
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
  attachAgentsGateway(io, { coordinator, tokens, messages });
  const dashboard = attachDashboardGateway(io, { coordinator, sessions, workflows, messages });

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
