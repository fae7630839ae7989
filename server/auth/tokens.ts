// API tokens: random secrets shown once, stored as SHA-256 hashes. A fast hash is right here:
// the secrets carry 192 bits of randomness, so there is nothing to brute-force, and agents
// authenticate on every HTTP call. Verified tokens are cached; revoking updates the cache at once.
import { createHash, randomBytes } from "node:crypto";
import type { TokenRepository, TokenRow } from "@/server/store/ports";
import type { TokenView } from "@/lib/api";
import type { Clock } from "@/server/core/clock";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";

import type { TokenScope } from "@/lib/policy";

export type { TokenScope };

export interface VerifiedToken {
  id: string;
  name: string;
  scope: TokenScope;
  /** An agent token that may also submit tasks. */
  canSubmit: boolean;
  /** The user who made it, if a user did. */
  createdBy: string | null;
  hash: string;
}

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

const CACHE_MS = 30_000;
const TOUCH_MS = 60_000;

export class TokenService {
  private cache = new Map<string, { row: TokenRow | null; at: number }>();
  private touched = new Map<string, number>();
  private listeners = new Set<(tokenId: string) => void>();

  constructor(
    private readonly store: TokenRepository,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; scope: TokenScope; canSubmit?: boolean; expiresInDays?: number; createdBy?: string | null }): Promise<{ token: TokenView; secret: string }> {
    const secret = `sb_${randomBytes(24).toString("base64url")}`;
    const now = this.clock.now();
    const row: TokenRow = {
      id: newId("tok"),
      name: input.name,
      prefix: secret.slice(0, 10),
      scope: input.scope,
      // Only an agent token needs the extra right; every other scope that may submit already does.
      canSubmit: input.scope === "agent" && input.canSubmit === true,
      createdBy: input.createdBy ?? null,
      hash: hashToken(secret),
      createdAt: now,
      lastUsedAt: null,
      expiresAt: input.expiresInDays ? now + input.expiresInDays * 86_400_000 : null,
      revokedAt: null,
    };
    await this.store.create(row);
    const { hash: _hash, ...token } = row;
    return { token, secret };
  }

  find() {
    return this.store.list();
  }

  async revoke(id: string): Promise<TokenView> {
    const t = await this.store.revoke(id, this.clock.now());
    if (!t) throw new AppError("NOT_FOUND", `No token with id ${id}.`);
    for (const [hash, c] of this.cache) if (c.row?.id === id) this.cache.delete(hash);
    for (const l of this.listeners) l(id);
    return t;
  }

  /** Called with a token id when it is revoked, so live connections can be closed. */
  onRevoke(listener: (tokenId: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The token behind a secret, or an UNAUTHORIZED error that says why. */
  async verify(secret: string | undefined | null): Promise<VerifiedToken> {
    if (!secret) throw new AppError("UNAUTHORIZED", "Missing API token: send `Authorization: Bearer <token>`.");
    if (secret.length > 200) throw new AppError("UNAUTHORIZED", "Unknown API token.");
    const hash = hashToken(secret);
    const now = this.clock.now();
    let c = this.cache.get(hash);
    if (!c || now - c.at > CACHE_MS) {
      c = { row: await this.store.byHash(hash), at: now };
      this.cache.set(hash, c);
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    }
    const row = c.row;
    if (!row) throw new AppError("UNAUTHORIZED", "Unknown API token.");
    if (row.revokedAt) throw new AppError("UNAUTHORIZED", `API token "${row.name}" was revoked.`);
    if (row.expiresAt != null && row.expiresAt <= now) throw new AppError("UNAUTHORIZED", `API token "${row.name}" has expired.`);
    if (now - (this.touched.get(row.id) ?? 0) > TOUCH_MS) {
      this.touched.set(row.id, now);
      void this.store.touch(row.id, now).catch(() => {});
    }
    return { id: row.id, name: row.name, scope: row.scope, canSubmit: row.canSubmit, createdBy: row.createdBy, hash: row.hash };
  }
}
