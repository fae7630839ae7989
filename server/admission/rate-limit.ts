// Token buckets: each key (a token, a user, an IP, a login name) holds up to `burst` requests
// and refills at `perSecond`. A request takes one; an empty bucket answers with how long until
// the next one (Retry-After). Idle full buckets are forgotten, so memory follows active callers.
import type { Clock } from "@/server/core/clock";

export interface BucketLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  private sweepAt = 0;

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes `cost` from the key's bucket, or says how long to wait. */
  take(key: string, cost = 1): Verdict {
    const now = this.clock.now();
    const { perSecond, burst } = this.limit;
    if (now - this.sweepAt > 60_000) this.sweep(now, false);
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now, true);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
    }
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((cost - b.tokens) / perSecond) * 1000) };
  }

  /** Whether `take` would succeed now, without taking anything. */
  peek(key: string, cost = 1): Verdict {
    const b = this.buckets.get(key);
    if (!b) return { ok: true };
    const tokens = Math.min(this.limit.burst, b.tokens + ((this.clock.now() - b.at) / 1000) * this.limit.perSecond);
    return tokens >= cost ? { ok: true } : { ok: false, retryAfterMs: Math.ceil(((cost - tokens) / this.limit.perSecond) * 1000) };
  }

  /** Gives a taken request back (e.g. a login that succeeded should not count against the user). */
  refund(key: string, cost = 1) {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.limit.burst, b.tokens + cost);
  }

  get size() {
    return this.buckets.size;
  }

  private sweep(now: number, force: boolean) {
    this.sweepAt = now;
    const { perSecond, burst } = this.limit;
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.buckets.delete(k);
    // Still full of distinct callers (a flood of addresses): drop the oldest half.
    if (force && this.buckets.size >= this.maxKeys) {
      let n = Math.floor(this.buckets.size / 2);
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }
}
