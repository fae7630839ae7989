// /api/auth: how people get in. The browser logs in and out with a session cookie; the CLI and
// scripts exchange a name and password for an API token (`switchboard login`, or curl) — no
// cookie, so no cross-site request to guard against, and nothing a browser must send.
//
//   POST /api/auth/login   {username, password}                        → session cookie
//   POST /api/auth/logout                                               → cookie cleared
//   POST /api/auth/token   {username, password, name?, scope?, expiresInDays?} → {token, secret}
//
// A minted token never carries more than the user's role (lib/policy.ts SCOPES_FOR_ROLE), and
// failed passwords count against the same login throttle as the dashboard's.
import os from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { SCOPES_FOR_ROLE, tokenScopeSchema } from "@/lib/policy";
import { AppError } from "@/server/errors";
import { SESSION_COOKIE, clearSessionCookie, readCookie, sessionCookie, type SessionService, type UserView } from "@/server/auth/session";
import type { TokenService } from "@/server/auth/tokens";
import type { AuditService } from "@/server/auth/audit";
import { clientIp } from "@/server/admission/client-ip";
import { RateLimitedError, sendRateLimited, type Admission } from "@/server/admission/admission";
import { parseWith, readJson, sendError, sendJson } from "./json";

export interface AuthRouteDeps {
  sessions: SessionService;
  tokens: TokenService;
  audit: AuditService;
  admission: Admission;
}

const credentials = { username: z.string().min(1).max(64), password: z.string().min(1).max(200) };
const loginSchema = z.object(credentials);
const tokenExchangeSchema = z
  .object({
    ...credentials,
    /** What the token is for; shown on the Tokens page. */
    name: z.string().trim().min(1).max(64).optional(),
    /** Defaults to the most the user's role allows (admin → admin, operator → submit, viewer → read). */
    scope: tokenScopeSchema.optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

const BODY_LIMIT = 16 * 1024;

/** Handles /api/auth/*; false when the path is not one of its routes. */
export function handleAuth(req: IncomingMessage, res: ServerResponse, pathname: string, deps: AuthRouteDeps): boolean {
  if (pathname === "/api/auth/login") return void login(req, res, deps), true;
  if (pathname === "/api/auth/logout") return void logout(req, res, deps), true;
  if (pathname === "/api/auth/token") return void exchange(req, res, deps), true;
  return false;
}

/** Checks a password under the login throttle; failures count, successes cost nothing. */
async function authenticate(req: IncomingMessage, body: { username: string; password: string }, deps: AuthRouteDeps): Promise<UserView> {
  deps.admission.admitLogin(req, body.username);
  return deps.sessions.checkPassword(body.username, body.password).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "UNAUTHORIZED") deps.admission.loginFailed(req, body.username);
    throw e;
  });
}

function requirePost(req: IncomingMessage, usage: string) {
  if (req.method !== "POST") throw new AppError("BAD_REQUEST", `Use POST with ${usage}.`);
}

async function login(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps) {
  const ip = clientIp(req);
  let username = "";
  try {
    requirePost(req, "{username, password}");
    const body = parseWith(loginSchema, await readJson(req, BODY_LIMIT));
    username = body.username;
    const s = await deps.sessions.openSession(await authenticate(req, body, deps), ip);
    const secure = (req.headers["x-forwarded-proto"] ?? "") === "https" || "encrypted" in req.socket;
    res.setHeader("set-cookie", sessionCookie(s.secret, s.maxAgeSeconds, secure));
    void deps.audit.record({ principal: null, actor: s.user.username, action: "login", ip, outcome: "ok" });
    sendJson(res, 200, { username: s.user.username, role: s.user.role });
  } catch (e) {
    failed(req, res, deps, "login", username, e);
  }
}

async function logout(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps) {
  try {
    requirePost(req, "no body to log out");
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    const user = await deps.sessions.verify(cookie);
    await deps.sessions.logout(cookie);
    if (user) void deps.audit.record({ principal: { kind: "user", user }, action: "logout", ip: clientIp(req), outcome: "ok" });
    res.setHeader("set-cookie", clearSessionCookie);
    sendJson(res, 200, { ok: true });
  } catch (e) {
    sendError(res, e);
  }
}

/** Name and password → a new API token of at most the user's rights, recorded as theirs. */
async function exchange(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps) {
  let username = "";
  try {
    requirePost(req, "{username, password, name?, scope?}");
    const body = parseWith(tokenExchangeSchema, await readJson(req, BODY_LIMIT));
    username = body.username;
    const user = await authenticate(req, body, deps);
    const allowed = SCOPES_FOR_ROLE[user.role];
    const scope = body.scope ?? allowed[0];
    if (!allowed.includes(scope)) {
      throw new AppError("FORBIDDEN", `scope: a ${user.role} may create tokens with scope ${allowed.join(" or ")}, not ${scope}.`);
    }
    const name = body.name ?? `cli:${user.username}@${os.hostname()}`.slice(0, 64);
    const created = await deps.tokens.create({ name, scope, expiresInDays: body.expiresInDays, createdBy: user.username });
    void deps.audit.record({
      principal: null,
      actor: user.username,
      action: "token.exchange",
      target: created.token.id,
      ip: clientIp(req),
      outcome: "ok",
      details: { name, scope },
    });
    sendJson(res, 201, created);
  } catch (e) {
    failed(req, res, deps, "token.exchange", username, e);
  }
}

function failed(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps, action: string, username: string, e: unknown) {
  if (username) {
    void deps.audit.record({
      principal: null,
      actor: username.slice(0, 64),
      action,
      ip: clientIp(req),
      outcome: e instanceof RateLimitedError || (e instanceof AppError && e.code === "FORBIDDEN") ? "denied" : "failed",
      details: { reason: (e as Error).message },
    });
  }
  if (e instanceof RateLimitedError) return sendRateLimited(res, e);
  sendError(res, e);
}
