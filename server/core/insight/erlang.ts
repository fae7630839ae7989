// How many slots keep the queue short: the M/M/c queue (Erlang C). Tasks arrive at rate λ and
// take 1/μ on average; with c slots, the probability that a task waits at all is C(c, a) with
// a = λ/μ the offered load, and the probability that it waits longer than t is
// C(c, a) · e^(−(cμ − λ)t). The slots a capability needs are the fewest that keep the chosen
// quantile of the wait (p95 by default) under the target.

/** Erlang B by its stable recursion: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** The probability that an arriving task waits at all (1 when the slots cannot keep up). */
export function erlangC(c: number, a: number): number {
  if (c <= 0) return 1;
  if (a <= 0) return 0;
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** P(wait > t) with c slots, arrivals per ms `lambda`, mean service time `serviceMs`. */
export function waitExceeds(c: number, lambda: number, serviceMs: number, t: number): number {
  if (lambda <= 0) return 0;
  const mu = 1 / serviceMs;
  const a = lambda / mu;
  if (a >= c) return 1;
  return erlangC(c, a) * Math.exp(-(c * mu - lambda) * t);
}

/**
 * The fewest slots for which P(wait > targetMs) ≤ 1 − quantile, for arrivals per hour and a mean
 * service time. Zero arrivals need zero slots.
 */
export function slotsNeeded(arrivalsPerHour: number, serviceMs: number, targetMs: number, quantile = 0.95): number {
  if (arrivalsPerHour <= 0 || serviceMs <= 0) return 0;
  const lambda = arrivalsPerHour / 3_600_000;
  const a = lambda * serviceMs;
  for (let c = Math.max(1, Math.floor(a) + 1); c < 100_000; c++) if (waitExceeds(c, lambda, serviceMs, targetMs) <= 1 - quantile) return c;
  return 100_000;
}
