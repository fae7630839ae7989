// People: users with roles, their passwords (argon2id, hashed off the event loop) and their
// browser sessions. A session cookie carries a random secret; the store keeps its SHA-256, so
// logging out, disabling a user or changing a role takes effect on the next request — live
// sessions are cached in memory and the cache is updated by the same calls.
import { createHash, randomBytes } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import type { SessionRepository, UserRecord, UserRepository } from "@/server/store/ports";
import type { Clock } from "@/server/core/clock";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import type { Role } from "@/lib/policy";

export const SESSION_COOKIE = "sb_session";

export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  createdBy: string;
  lastLoginAt: number | null;
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  username: string;
  role: Role;
  expiresAt: number;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const view = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  role: u.role,
  disabled: u.disabledAt != null,
  createdAt: u.createdAt,
  createdBy: u.createdBy,
  lastLoginAt: u.lastLoginAt,
});

export const PASSWORD_MIN = 10;

/** A hash of a random password: logins of unknown users spend the same time as real ones. */
let decoy: Promise<string> | undefined;

export class SessionService {
  /** secret hash → session (null: known not to exist), for the requests of live sessions. */
  private cache = new Map<string, SessionUser | null>();

  constructor(private readonly opts: { users: UserRepository; sessions: SessionRepository; hours: number; clock: Clock }) {}

  private get users() {
    return this.opts.users;
  }

  private get sessions() {
    return this.opts.sessions;
  }

  /** First run: the bootstrap admin from config, only when no user exists yet. */
  async bootstrap(username: string, password: string): Promise<boolean> {
    if ((await this.users.count()) > 0) return false;
    // The configured password is taken as it is (config validation set its minimum).
    await this.createUser({ username, password, role: "admin" }, "bootstrap", 1);
    return true;
  }

  async createUser(input: { username: string; password: string; role: Role }, by: string, minLength = PASSWORD_MIN): Promise<UserView> {
    if (input.password.length < minLength) throw new AppError("BAD_REQUEST", `The password must be at least ${PASSWORD_MIN} characters.`);
    if (await this.users.byName(input.username)) throw new AppError("CONFLICT", `A user named "${input.username}" already exists.`);
    const row = await this.users.create({
      id: newId("usr"),
      username: input.username,
      passwordHash: await argon2Hash(input.password),
      role: input.role,
      disabledAt: null,
      createdAt: this.opts.clock.now(),
      createdBy: by,
      lastLoginAt: null,
    });
    return view(row);
  }

  async findUsers(): Promise<UserView[]> {
    return (await this.users.list()).map(view);
  }

  async setRole(id: string, role: Role, byUserId: string | null): Promise<UserView> {
    const u = await this.user(id);
    if (u.role === "admin" && role !== "admin") await this.keepAnAdmin(id, byUserId, "demote");
    const row = await this.users.update(id, { role });
    this.forgetUser(id);
    return view(row);
  }

  async setDisabled(id: string, disabled: boolean, byUserId: string | null): Promise<UserView> {
    const u = await this.user(id);
    if (disabled && u.role === "admin") await this.keepAnAdmin(id, byUserId, "disable");
    const row = await this.users.update(id, { disabledAt: disabled ? this.opts.clock.now() : null });
    if (disabled) await this.sessions.deleteForUser(id);
    this.forgetUser(id);
    return view(row);
  }

  async resetPassword(id: string, password: string): Promise<UserView> {
    if (password.length < PASSWORD_MIN) throw new AppError("BAD_REQUEST", `The password must be at least ${PASSWORD_MIN} characters.`);
    await this.user(id);
    const row = await this.users.update(id, { passwordHash: await argon2Hash(password) });
    // A new password ends every session of the old one.
    await this.sessions.deleteForUser(id);
    this.forgetUser(id);
    return view(row);
  }

  /** The user behind a name and password; the same error for an unknown user and a wrong password. */
  async checkPassword(username: string, password: string): Promise<UserView> {
    const row = await this.users.byName(username);
    const ok = row ? await argon2Verify(row.passwordHash, password) : (await argon2Verify(await (decoy ??= argon2Hash(randomBytes(16).toString("hex"))), password), false);
    if (!row || !ok) throw new AppError("UNAUTHORIZED", "Wrong username or password.");
    if (row.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled; ask an admin.");
    return view(row);
  }

  /** Opens a session for a user whose password was just checked. */
  async openSession(row: UserView, ip: string): Promise<{ secret: string; maxAgeSeconds: number; user: UserView }> {
    const secret = randomBytes(32).toString("base64url");
    const now = this.opts.clock.now();
    await this.sessions.create({ id: newId("ses"), hash: sha256(secret), userId: row.id, createdAt: now, expiresAt: now + this.opts.hours * 3_600_000, ip });
    await this.users.update(row.id, { lastLoginAt: now });
    return { secret, maxAgeSeconds: this.opts.hours * 3600, user: row };
  }

  async logout(cookieValue: string | undefined): Promise<void> {
    if (!cookieValue) return;
    const h = sha256(cookieValue);
    await this.sessions.deleteByHash(h);
    this.cache.set(h, null);
  }

  /** The user behind a session cookie, or null (unknown, expired, logged out, disabled). */
  async verify(cookieValue: string | undefined): Promise<SessionUser | null> {
    if (!cookieValue || cookieValue.length > 200) return null;
    const h = sha256(cookieValue);
    let s = this.cache.get(h);
    if (s === undefined) {
      const row = await this.sessions.byHash(h);
      const user = row ? await this.users.byId(row.userId) : null;
      s = row && user && !user.disabledAt ? { sessionId: row.id, userId: user.id, username: user.username, role: user.role, expiresAt: row.expiresAt } : null;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(h, s);
    }
    if (s && s.expiresAt <= this.opts.clock.now()) return null;
    return s;
  }

  /** Drops expired sessions (called now and then). */
  async prune(): Promise<void> {
    await this.sessions.deleteExpired(this.opts.clock.now());
  }

  private async user(id: string): Promise<UserRecord> {
    const u = await this.users.byId(id);
    if (!u) throw new AppError("NOT_FOUND", `No user with id ${id}.`);
    return u;
  }

  /** Refuses to leave the system without an enabled admin (or an admin locking themself out). */
  private async keepAnAdmin(id: string, byUserId: string | null, what: "demote" | "disable") {
    if (id === byUserId) throw new AppError("CONFLICT", `You cannot ${what} yourself; another admin can.`);
    const others = await this.users.countEnabledAdmins(id);
    if (others === 0) throw new AppError("CONFLICT", `Cannot ${what} the last enabled admin.`);
  }

  private forgetUser(userId: string) {
    for (const [h, s] of this.cache) if (s?.userId === userId) this.cache.delete(h);
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** httpOnly, SameSite=Strict (no cross-site request carries it), Secure when served over TLS. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
