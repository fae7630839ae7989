// Who is calling: an API token (agents, scripts, the CLI) or the admin's browser session.
// Every REST route, tRPC procedure and socket resolves its caller here, once.
import type { IncomingMessage } from "node:http";
import type { SessionService } from "@/server/auth/session";
import { SESSION_COOKIE, readCookie } from "@/server/auth/session";
import type { TokenService, VerifiedToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";

export type Principal = { kind: "token"; token: VerifiedToken } | { kind: "user"; username: string; role: "admin" };

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

export async function resolvePrincipal(
  req: IncomingMessage,
  deps: { tokens: TokenService; sessions: SessionService },
): Promise<Principal | null> {
  const secret = bearer(req);
  if (secret || req.headers.authorization) return { kind: "token", token: await deps.tokens.verify(secret) };
  const s = deps.sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
  return s ? { kind: "user", username: s.username, role: "admin" } : null;
}

/** Access levels of this slice; full roles and scopes come with the identity work. */
export type Access = "agent" | "submit" | "admin";

export function authorize(p: Principal | null, access: Access): Principal {
  if (!p) throw new AppError("UNAUTHORIZED", "Authentication required: send `Authorization: Bearer <token>` or log in.");
  if (p.kind === "user") {
    if (access === "agent") throw new AppError("FORBIDDEN", "Agent endpoints need an agent token, not a browser session.");
    return p;
  }
  if (access === "admin" && p.token.scope !== "admin") throw new AppError("FORBIDDEN", `Token "${p.token.name}" has scope ${p.token.scope}; this needs an admin token.`);
  return p;
}

export function requireToken(p: Principal): VerifiedToken {
  if (p.kind !== "token") throw new AppError("FORBIDDEN", "This needs an API token.");
  return p.token;
}

/** How a caller is named in histories and decisions: the user name, or `token:<name>`. */
export function principalName(p: Principal): string {
  return p.kind === "user" ? p.username : `token:${p.token.name}`;
}
