// The bounds an operator may change (min, max), checked as typed with the limits of
// poolBoundsInput so a mistake shows beside its field before a round trip (the server checks
// again), and the list's small bar: how many agents there are and are wanted, against min–max.
// Pure.

export const BOUNDS_LIMIT = 1000;

export type BoundsCheck = { ok: true; value: { min: number; max: number } } | { ok: false; field: "min" | "max"; text: string };

function wholeIn(text: string, lo: number, hi: number): number | string {
  const t = text.trim();
  if (t === "") return "enter a number";
  if (!/^-?\d+$/.test(t)) return "must be a whole number";
  const n = Number(t);
  if (n < lo) return `must be at least ${lo}`;
  if (n > hi) return `must be at most ${hi}`;
  return n;
}

export function checkBounds(minText: string, maxText: string): BoundsCheck {
  const min = wholeIn(minText, 0, BOUNDS_LIMIT);
  if (typeof min === "string") return { ok: false, field: "min", text: min };
  const max = wholeIn(maxText, 1, BOUNDS_LIMIT);
  if (typeof max === "string") return { ok: false, field: "max", text: max };
  if (max < min) return { ok: false, field: "max", text: "must be at least min" };
  return { ok: true, value: { min, max } };
}

export interface BoundsBar {
  /** Widths in % of the bar, which spans 0 to max (or to the agents there are, if more). */
  currentPct: number;
  desiredPct: number;
  minPct: number;
  /** The agents there are exceed max (max was lowered and they are on their way out). */
  over: boolean;
}

export function boundsBar(current: number, desired: number, min: number, max: number): BoundsBar {
  const span = Math.max(1, max, current, desired);
  const pct = (n: number) => Math.round((Math.max(0, Math.min(n, span)) / span) * 1000) / 10;
  return { currentPct: pct(current), desiredPct: pct(desired), minPct: pct(min), over: current > max };
}
