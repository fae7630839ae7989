// Demand forecasting: additive Holt-Winters (triple exponential smoothing) with a damped trend,
// over hourly series — tasks submitted per hour, busy slot-hours per hour. The season is a week
// (168 hours) when there are at least two weeks of history, else a day (24 hours) with at least
// two days, else none (plain exponential smoothing). Smoothing parameters are fitted by a grid
// search that minimises the one-step-ahead squared error. The forecast's accuracy is measured,
// not assumed: `backtest` holds the last day out, fits on the rest and reports the MAPE.

export interface HoltWintersModel {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** Season length in points (0: none). */
  season: number;
  level: number;
  trend: number;
  /** The last `season` seasonal terms, oldest first. */
  seasonal: number[];
  /** One-step-ahead sum of squared errors over the fitted data. */
  sse: number;
}

const PHI = 0.98;

export function seasonFor(n: number): number {
  if (n >= 2 * 168) return 168;
  if (n >= 2 * 24) return 24;
  return 0;
}

function run(y: readonly number[], m: number, alpha: number, beta: number, gamma: number): HoltWintersModel {
  if (m === 0) {
    let level = y[0] ?? 0;
    let sse = 0;
    for (let t = 1; t < y.length; t++) {
      const e = y[t] - level;
      sse += e * e;
      level += alpha * e;
    }
    return { alpha, beta: 0, gamma: 0, phi: 1, season: 0, level, trend: 0, seasonal: [], sse };
  }
  const mean = (a: readonly number[]) => a.reduce((x, v) => x + v, 0) / a.length;
  const first = y.slice(0, m);
  const second = y.slice(m, 2 * m);
  let level = mean(first);
  let trend = second.length === m ? (mean(second) - level) / m : 0;
  const seasonal = first.map((v) => v - level);
  let sse = 0;
  for (let t = m; t < y.length; t++) {
    const s = seasonal[t % m];
    const predicted = level + PHI * trend + s;
    const e = y[t] - predicted;
    sse += e * e;
    const prevLevel = level;
    level = alpha * (y[t] - s) + (1 - alpha) * (prevLevel + PHI * trend);
    trend = beta * (level - prevLevel) + (1 - beta) * PHI * trend;
    seasonal[t % m] = gamma * (y[t] - level) + (1 - gamma) * s;
  }
  // Rotate so seasonal[0] is the term of the point right after the data.
  const rot = y.length % m;
  return { alpha, beta, gamma, phi: PHI, season: m, level, trend, seasonal: [...seasonal.slice(rot), ...seasonal.slice(0, rot)], sse };
}

const GRID = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const TREND_GRID = [0, 0.01, 0.05, 0.1];

/**
 * Fits the parameters to the series (at least one point): coordinate descent over the grids —
 * the best alpha with beta and gamma held, then gamma, then beta, until nothing improves (at
 * most three passes). About a quarter of the runs of the full 256-point grid, and on smooth
 * error surfaces like these the same answer or one next to it.
 */
export function fitHoltWinters(y: readonly number[], season = seasonFor(y.length)): HoltWintersModel {
  if (y.length === 0) return { alpha: 0, beta: 0, gamma: 0, phi: 1, season: 0, level: 0, trend: 0, seasonal: [], sse: 0 };
  if (season === 0) {
    let best: HoltWintersModel | null = null;
    for (const a of GRID) {
      const m = run(y, 0, a, 0, 0);
      if (!best || m.sse < best.sse) best = m;
    }
    return best!;
  }
  const tried = new Map<string, HoltWintersModel>();
  const at = (a: number, b: number, g: number) => {
    const k = `${a}/${b}/${g}`;
    let m = tried.get(k);
    if (!m) tried.set(k, (m = run(y, season, a, b, g)));
    return m;
  };
  let best = at(0.2, 0.01, 0.1);
  for (let pass = 0; pass < 3; pass++) {
    const before = best;
    for (const a of GRID) if (at(a, best.beta, best.gamma).sse < best.sse) best = at(a, best.beta, best.gamma);
    for (const g of GRID) if (at(best.alpha, best.beta, g).sse < best.sse) best = at(best.alpha, best.beta, g);
    for (const b of TREND_GRID) if (at(best.alpha, b, best.gamma).sse < best.sse) best = at(best.alpha, b, best.gamma);
    if (best === before) break;
  }
  return best;
}

/** The next `h` points (never below zero: these are counts and durations). */
export function forecast(model: HoltWintersModel, h: number): number[] {
  const out: number[] = [];
  let damp = 0;
  for (let i = 1; i <= h; i++) {
    damp += model.phi ** i;
    const s = model.season ? model.seasonal[(i - 1) % model.season] : 0;
    out.push(Math.max(0, model.level + damp * model.trend + s));
  }
  return out;
}

/** Mean absolute percentage error over the points whose actual value is at least `minActual`. */
export function mape(actual: readonly number[], predicted: readonly number[], minActual = 1): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < Math.min(actual.length, predicted.length); i++) {
    if (actual[i] < minActual) continue;
    sum += Math.abs(actual[i] - predicted[i]) / actual[i];
    n++;
  }
  return n ? sum / n : null;
}

/** Holds the last `holdout` points out, fits on the rest, and scores the forecast of them. */
export function backtest(y: readonly number[], holdout = 24): { mape: number | null; predicted: number[] } {
  if (y.length < holdout + 2) return { mape: null, predicted: [] };
  const train = y.slice(0, y.length - holdout);
  const predicted = forecast(fitHoltWinters(train), holdout);
  return { mape: mape(y.slice(-holdout), predicted), predicted };
}
