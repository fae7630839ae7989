// API tokens: stored as SHA-256 hashes; the secret is never stored.
import type { Prisma } from "@/generated/prisma/client";
import { tokenScopeSchema, type TokenView } from "@/lib/api";
import type { PrismaModels as Db } from "./client";
import type { TokenRepository, TokenRow } from "../ports";
import { date, ms } from "../row-values";
import { withBusyRetry } from "../busy";

function tokenView(r: Prisma.ApiTokenGetPayload<object>): TokenView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope: tokenScopeSchema.catch("read").parse(r.scope),
    canSubmit: r.canSubmit,
    createdBy: r.createdBy,
    createdAt: r.createdAt.getTime(),
    lastUsedAt: ms(r.lastUsedAt),
    expiresAt: ms(r.expiresAt),
    revokedAt: ms(r.revokedAt),
  };
}

export class PrismaTokens implements TokenRepository {
  constructor(private readonly db: Db) {}

  async create(t: TokenRow) {
    await withBusyRetry("token create", () =>
      this.db.apiToken.create({
        data: { id: t.id, name: t.name, hash: t.hash, prefix: t.prefix, scope: t.scope, canSubmit: t.canSubmit, createdBy: t.createdBy, createdAt: new Date(t.createdAt), expiresAt: date(t.expiresAt) },
      }),
    );
  }

  async list() {
    return (await this.db.apiToken.findMany({ orderBy: { createdAt: "desc" } })).map(tokenView);
  }

  async byHash(hash: string): Promise<TokenRow | null> {
    const r = await this.db.apiToken.findUnique({ where: { hash } });
    return r ? { ...tokenView(r), hash: r.hash } : null;
  }

  async revoke(id: string, at: number) {
    const r = await this.db.apiToken.findUnique({ where: { id } });
    if (!r) return null;
    const u = r.revokedAt ? r : await withBusyRetry("token revoke", () => this.db.apiToken.update({ where: { id }, data: { revokedAt: new Date(at) } }));
    return tokenView(u);
  }

  async touch(id: string, at: number) {
    await withBusyRetry("token touch", () => this.db.apiToken.update({ where: { id }, data: { lastUsedAt: new Date(at) } }));
  }
}
