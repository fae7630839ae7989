// Users and their browser sessions.
import type { Role } from "@/lib/api";
import type { PrismaModels as Db } from "./client";
import type { SessionRecord, SessionRepository, UserRecord, UserRepository } from "../ports";
import { date, ms } from "../row-values";
import { withBusyRetry } from "../busy";

type UserRow = NonNullable<Awaited<ReturnType<Db["user"]["findUnique"]>>>;

const user = (u: UserRow): UserRecord => ({
  id: u.id,
  username: u.username,
  passwordHash: u.passwordHash,
  role: u.role as Role,
  disabledAt: ms(u.disabledAt),
  createdAt: u.createdAt.getTime(),
  createdBy: u.createdBy,
  lastLoginAt: ms(u.lastLoginAt),
});

export class PrismaUsers implements UserRepository {
  constructor(private readonly db: Db) {}

  count() {
    return this.db.user.count();
  }

  async create(u: UserRecord) {
    return user(
      await withBusyRetry("user create", () =>
        this.db.user.create({ data: { id: u.id, username: u.username, passwordHash: u.passwordHash, role: u.role, createdAt: new Date(u.createdAt), createdBy: u.createdBy, disabledAt: date(u.disabledAt) } }),
      ),
    );
  }

  async byName(username: string) {
    const r = await this.db.user.findUnique({ where: { username } });
    return r ? user(r) : null;
  }

  async byId(id: string) {
    const r = await this.db.user.findUnique({ where: { id } });
    return r ? user(r) : null;
  }

  async list() {
    return (await this.db.user.findMany({ orderBy: { createdAt: "asc" } })).map(user);
  }

  async update(id: string, patch: Partial<Pick<UserRecord, "role" | "disabledAt" | "passwordHash" | "lastLoginAt">>) {
    const data = {
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.passwordHash !== undefined ? { passwordHash: patch.passwordHash } : {}),
      ...(patch.disabledAt !== undefined ? { disabledAt: date(patch.disabledAt) } : {}),
      ...(patch.lastLoginAt !== undefined ? { lastLoginAt: date(patch.lastLoginAt) } : {}),
    };
    return user(await withBusyRetry("user update", () => this.db.user.update({ where: { id }, data })));
  }

  countEnabledAdmins(exceptId: string) {
    return this.db.user.count({ where: { role: "admin", disabledAt: null, id: { not: exceptId } } });
  }
}

export class PrismaSessions implements SessionRepository {
  constructor(private readonly db: Db) {}

  async create(s: SessionRecord) {
    await withBusyRetry("session create", () =>
      this.db.session.create({ data: { id: s.id, hash: s.hash, userId: s.userId, createdAt: new Date(s.createdAt), expiresAt: new Date(s.expiresAt), ip: s.ip } }),
    );
  }

  async byHash(hash: string) {
    const r = await this.db.session.findUnique({ where: { hash } });
    return r ? { id: r.id, hash: r.hash, userId: r.userId, createdAt: r.createdAt.getTime(), expiresAt: r.expiresAt.getTime(), ip: r.ip } : null;
  }

  async deleteByHash(hash: string) {
    await withBusyRetry("session delete", () => this.db.session.deleteMany({ where: { hash } }));
  }

  async deleteForUser(userId: string) {
    await withBusyRetry("sessions delete", () => this.db.session.deleteMany({ where: { userId } }));
  }

  async deleteExpired(now: number) {
    return (await withBusyRetry("sessions prune", () => this.db.session.deleteMany({ where: { expiresAt: { lt: new Date(now) } } }))).count;
  }
}
