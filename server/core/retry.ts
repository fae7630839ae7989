// Retry policy: exponential backoff with equal jitter, capped. Equal jitter (a random delay in
// [base/2, base], not full jitter's [0, base]) spreads a burst of failures so retries do not
// arrive in lockstep, while every retry still waits at least half its backoff.
export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
}

export const MAX_BACKOFF_MS = 5 * 60_000;

/** Delay before attempt `nextAttempt` (2, 3, ...); `random` in [0, 1). */
export function backoffDelay(policy: RetryPolicy, nextAttempt: number, random: number): number {
  const exp = policy.backoffMs * 2 ** Math.max(0, nextAttempt - 2);
  const base = Math.min(MAX_BACKOFF_MS, exp);
  return Math.round(base / 2 + (base / 2) * random);
}
