// Load shedding for new work. Two delays say the server is behind: the event loop's (every
// request waits for it) and the sojourn of submissions — arrival to answer — which grows
// while the loop still turns quickly, when work queues on connections faster than it is
// answered (measured: a 4× overload left the loop's p99 delay at 5–15 ms while answers took
// seconds). When either stays over its target for an interval (CoDel's idea), new submissions
// are admitted at a rate that backs off multiplicatively and comes back additively (AIMD, as
// TCP and adaptive concurrency limiters do); the rest are refused with how long to wait —
// instead of every caller's latency growing without bound. Agents' own reports (completions, heartbeats) are never shed: they
// are how the backlog drains.
//
// Pure: the caller feeds it loop-delay samples and the clock; it decides.

export interface OverloadPolicy {
  /** Loop delay (ms, the window's p99) above which the server counts as overloaded. */
  targetLagMs: number;
  /** Submission sojourn (ms, arrival → answer, the window's p99) above which it does too. */
  targetSojournMs: number;
  /** How long the delay must stay over target before admission is limited (CoDel's interval). */
  intervalMs: number;
  /** The admitted rate never drops below this (tasks/s), so a spike never locks callers out. */
  floorPerSecond: number;
  /** Each window over target multiplies the rate by this. */
  decrease: number;
  /** Each calm window adds this fraction of the rate (at least `floorPerSecond / 10`). */
  increase: number;
  /** After this long calm, the limit is lifted entirely. */
  liftAfterMs: number;
  /** Unfinished tasks the server holds at most: beyond it the queue is full. */
  maxUnfinished: number;
}

export const DEFAULT_OVERLOAD_POLICY: OverloadPolicy = {
  targetLagMs: 50,
  targetSojournMs: 80,
  intervalMs: 300,
  floorPerSecond: 50,
  decrease: 0.7,
  increase: 0.1,
  liftAfterMs: 10_000,
  maxUnfinished: 500_000,
};

export type AdmitVerdict = { ok: true } | { ok: false; retryAfterMs: number; reason: "overloaded" | "queue_full" };

export interface OverloadState {
  /** Tasks/s admitted, or null while unlimited. */
  limitPerSecond: number | null;
  lagMs: number;
  sojournMs: number;
  overSince: number | null;
  calmSince: number | null;
  /** Submissions refused since start. */
  shed: number;
}

export class OverloadGovernor {
  private limit: number | null = null;
  private tokens = 0;
  private tokensAt = 0;
  private lag = 0;
  private sojourn = 0;
  private overSince: number | null = null;
  private calmSince: number | null = null;
  private admittedInWindow = 0;
  private windowStart: number;
  /** Tasks admitted per second over the last window: where a first limit starts from. */
  private recentRate = 0;
  private shedCount = 0;

  constructor(
    private readonly policy: OverloadPolicy,
    now: number,
  ) {
    this.windowStart = now;
  }

  /**
   * One window's delays at `now`: the loop's p99 and the p99 sojourn of the submissions
   * answered in it (0 when none were). Called every ~100 ms by the adapter that measures them;
   * the decisions below move at that pace.
   */
  observe(now: number, lagMs: number, sojournMs = 0) {
    const p = this.policy;
    const elapsed = Math.max(1, now - this.windowStart);
    this.recentRate = (this.admittedInWindow * 1000) / elapsed;
    this.admittedInWindow = 0;
    this.windowStart = now;
    this.lag = lagMs;
    this.sojourn = sojournMs;
    if (lagMs > p.targetLagMs || sojournMs > p.targetSojournMs) {
      this.calmSince = null;
      this.overSince ??= now;
      if (now - this.overSince >= p.intervalMs) {
        const base = this.limit ?? Math.max(this.recentRate, p.floorPerSecond);
        this.setLimit(now, Math.max(p.floorPerSecond, base * p.decrease));
      }
      return;
    }
    this.overSince = null;
    this.calmSince ??= now;
    if (this.limit === null) return;
    if (now - this.calmSince >= p.liftAfterMs) {
      this.limit = null;
      return;
    }
    this.setLimit(now, this.limit + Math.max(p.floorPerSecond / 10, this.limit * p.increase));
  }

  private setLimit(now: number, perSecond: number) {
    this.refill(now);
    this.limit = perSecond;
    // A bucket of a quarter second: bursts pass, a flood does not.
    this.tokens = Math.min(this.tokens, this.burst());
  }

  private burst() {
    return Math.max(1, (this.limit ?? 0) / 4);
  }

  private refill(now: number) {
    if (this.limit !== null) this.tokens = Math.min(this.burst(), this.tokens + ((now - this.tokensAt) / 1000) * this.limit);
    this.tokensAt = now;
  }

  /** Whether `count` new tasks may be taken now, given how many the server already holds. */
  admit(now: number, count: number, unfinished: number): AdmitVerdict {
    const p = this.policy;
    if (unfinished + count > p.maxUnfinished) {
      this.shedCount += count;
      return { ok: false, reason: "queue_full", retryAfterMs: 5_000 };
    }
    if (this.limit === null) {
      this.admittedInWindow += count;
      return { ok: true };
    }
    this.refill(now);
    // A batch larger than the bucket passes once the bucket is full and leaves it in debt, which
    // later callers wait out: over time nobody gets in faster than the limit, batch or not.
    const need = Math.min(count, this.burst());
    if (this.tokens >= need) {
      this.tokens -= count;
      this.admittedInWindow += count;
      return { ok: true };
    }
    this.shedCount += count;
    const waitMs = ((need - this.tokens) / this.limit) * 1000;
    // Spread the retries: callers told the same instant come back as one wave.
    return { ok: false, reason: "overloaded", retryAfterMs: Math.max(50, Math.ceil(waitMs + this.lag)) };
  }

  /**
   * Whether one more task would be admitted, taking nothing: the HTTP edge asks before it reads
   * a submission's body, so a refusal costs next to nothing while the loop is behind.
   */
  wouldAdmit(now: number): AdmitVerdict {
    if (this.limit === null) return { ok: true };
    this.refill(now);
    if (this.tokens >= 1) return { ok: true };
    return { ok: false, reason: "overloaded", retryAfterMs: Math.max(50, Math.ceil(((1 - this.tokens) / this.limit) * 1000 + this.lag)) };
  }

  state(): OverloadState {
    return { limitPerSecond: this.limit, lagMs: this.lag, sojournMs: this.sojourn, overSince: this.overSince, calmSince: this.calmSince, shed: this.shedCount };
  }
}
