// Who is calling — an API token (agents, scripts, the CLI) or a user's browser session — and
// the one authorization check every way in uses (tRPC, REST, Socket.IO, MCP), against the rule
// table in lib/policy.ts.
import type { IncomingMessage } from "node:http";
import type { SessionService, SessionUser } from "@/server/auth/session";
import { SESSION_COOKIE, readCookie } from "@/server/auth/session";
import type { TokenService, VerifiedToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { can, deniedMessage, type Actor, type Permission } from "@/lib/policy";
import type { Submitter } from "@/lib/protocol";

export type Principal = { kind: "token"; token: VerifiedToken } | { kind: "user"; user: SessionUser };

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/** The caller, or null when anonymous; a bad or revoked token is an error (401), not anonymity. */
export async function resolvePrincipal(req: IncomingMessage, deps: { tokens: TokenService; sessions: SessionService }): Promise<Principal | null> {
  const secret = bearer(req);
  if (secret || req.headers.authorization) return { kind: "token", token: await deps.tokens.verify(secret) };
  const user = await deps.sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
  return user ? { kind: "user", user } : null;
}

export const actorOf = (p: Principal): Actor =>
  p.kind === "user" ? { kind: "user", role: p.user.role } : { kind: "token", scope: p.token.scope, canSubmit: p.token.canSubmit };

/** Who a task or run submitted by this caller says it came from (runners may match on it). */
export function submitterOf(p: Principal): Submitter {
  return p.kind === "user"
    ? { kind: "user", name: p.user.username, role: p.user.role, by: null }
    : { kind: "token", name: p.token.name, role: p.token.scope, by: p.token.createdBy };
}

/** The gateway's check: the caller exists and holds `permission` ("public": anyone identified); throws 401/403 otherwise. */
export function authorize(p: Principal | null, permission: Permission | "public"): Principal {
  if (!p) throw new AppError("UNAUTHORIZED", "Authentication required: send `Authorization: Bearer <token>` or log in.");
  if (permission !== "public" && !can(actorOf(p), permission)) throw new AppError("FORBIDDEN", deniedMessage(actorOf(p), permission));
  return p;
}

export function requireToken(p: Principal): VerifiedToken {
  if (p.kind !== "token") throw new AppError("FORBIDDEN", "This needs an API token.");
  return p.token;
}

/** How a caller is named in histories, decisions and the audit log: the user name, or `token:<name>`. */
export function principalName(p: Principal): string {
  return p.kind === "user" ? p.user.username : `token:${p.token.name}`;
}

/** The role of a user or the scope of a token, for the audit log. */
export const principalRole = (p: Principal): string => (p.kind === "user" ? p.user.role : p.token.scope);
