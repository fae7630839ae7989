// Who may come in: API tokens, users, who the caller is, and the audit log.
import type { AuditView, Me, SessionMe, TokenCreated, TokenView, UserView } from "@/lib/api";
import type { Role, TokenScope } from "@/lib/policy";
import { can } from "@/lib/policy";
import { actorOf, principalName } from "@/server/auth/principal";
import type { AuditQuery } from "@/server/auth/audit";
import { AppError } from "@/server/errors";
import type { Caller, ServiceContext } from "./context";

/** The dashboard's "who am I" (null when nobody is signed in). */
/** Public: nobody signed in is an answer (null), not an error. */
export async function sessionMe(_s: ServiceContext, caller: Caller): Promise<SessionMe> {
  const p = caller.principal;
  if (!p) return null;
  return p.kind === "user" ? { kind: "user", username: p.user.username, role: p.user.role } : { kind: "token", username: `token:${p.token.name}`, scope: p.token.scope };
}

/** Who the caller is (REST GET /me): a user with a role, or a token with a scope. */
export const me = (s: ServiceContext, caller: Caller): Promise<Me> =>
  s.read(caller, "me.get", (p) =>
    p.kind === "user"
      ? { kind: "user", id: p.user.userId, name: p.user.username, role: p.user.role, scope: null, canSubmit: null }
      : { kind: "token", id: p.token.id, name: p.token.name, role: null, scope: p.token.scope, canSubmit: p.token.canSubmit },
  );

export const findTokens = (s: ServiceContext, caller: Caller): Promise<TokenView[]> => s.read(caller, "tokens.find", () => s.deps.tokens.find());

export const createToken = (s: ServiceContext, caller: Caller, input: { name: string; scope: TokenScope; canSubmit: boolean; expiresInDays?: number }): Promise<TokenCreated> =>
  s.mutate(caller, "tokens.create", (p) => s.deps.tokens.create({ ...input, createdBy: principalName(p) }), { input });

export const revokeToken = (s: ServiceContext, caller: Caller, id: string): Promise<TokenView> => s.mutate(caller, "tokens.revoke", () => s.deps.tokens.revoke(id), { target: id });

/** A token revokes itself (`switchboard logout`); an admin any token. */
export const revokeOwnToken = (s: ServiceContext, caller: Caller, id: string): Promise<TokenView> =>
  s.mutate(
    caller,
    "tokens.revokeOwn",
    (p) => {
      const own = p.kind === "token" && p.token.id === id;
      if (!own && !can(actorOf(p), "admin")) throw new AppError("FORBIDDEN", "Only an admin revokes other tokens; a token may revoke itself.");
      return s.deps.tokens.revoke(id);
    },
    { target: id, action: "tokens.revoke" },
  );

const byUserId = (p: { kind: string; user?: { userId: string } }) => (p.kind === "user" ? p.user!.userId : null);

export const findUsers = (s: ServiceContext, caller: Caller): Promise<UserView[]> => s.read(caller, "users.find", () => s.deps.sessions.findUsers());

export const createUser = (s: ServiceContext, caller: Caller, input: { username: string; password: string; role: Role }): Promise<UserView> =>
  s.mutate(caller, "users.create", (p) => s.deps.sessions.createUser(input, principalName(p)), { input });

export const setRole = (s: ServiceContext, caller: Caller, input: { id: string; role: Role }): Promise<UserView> =>
  s.mutate(caller, "users.setRole", (p) => s.deps.sessions.setRole(input.id, input.role, byUserId(p)), { input });

export const setDisabled = (s: ServiceContext, caller: Caller, input: { id: string; disabled: boolean }): Promise<UserView> =>
  s.mutate(caller, "users.setDisabled", (p) => s.deps.sessions.setDisabled(input.id, input.disabled, byUserId(p)), { input });

export const resetPassword = (s: ServiceContext, caller: Caller, input: { id: string; password: string }): Promise<UserView> =>
  s.mutate(caller, "users.resetPassword", () => s.deps.sessions.resetPassword(input.id, input.password), { input });

export const findAudit = (s: ServiceContext, caller: Caller, q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: number | null }> =>
  s.read(caller, "audit.find", () => s.deps.audit.find(q));
