// Durations as the alert forms show and take them: "5 min", "1 h 30 min" in lists, and an amount
// with a unit in the inputs (people enter minutes, the API keeps milliseconds). Pure.

export type DurationUnit = "s" | "min" | "h" | "d";

export const UNIT_MS: Record<DurationUnit, number> = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
export const UNIT_LABEL: Record<DurationUnit, string> = { s: "seconds", min: "minutes", h: "hours", d: "days" };
const UNIT_ORDER: DurationUnit[] = ["d", "h", "min", "s"];

/** What a duration input holds: the text typed and the unit chosen. */
export interface DurationValue {
  amount: string;
  unit: DurationUnit;
}

const trim = (n: number) => String(Math.round(n * 100) / 100);

/**
 * "0", "850 ms", "30 s", "5 min", "1 h 30 min", "2 days": at most the two largest units (the
 * next one only when it is not zero), so a list stays short; exact for what the forms produce.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)} s`;
  const i = UNIT_ORDER.findIndex((u) => ms >= UNIT_MS[u]);
  const name = (u: DurationUnit, n: number) => (u === "d" ? `${n} ${n === 1 ? "day" : "days"}` : `${n} ${u}`);
  const first = UNIT_ORDER[i];
  const n = Math.floor(ms / UNIT_MS[first]);
  const next = UNIT_ORDER[i + 1];
  const m = next ? Math.floor((ms - n * UNIT_MS[first]) / UNIT_MS[next]) : 0;
  return m > 0 ? `${name(first, n)} ${name(next, m)}` : name(first, n);
}

/** How long a request took: "0 ms", "12 ms", "1.5 s". */
export const elapsed = (ms: number) => (ms < 1_000 ? `${Math.max(0, Math.round(ms))} ms` : humanDuration(ms));

/** The largest of `units` that states `ms` exactly (the smallest one, with decimals, if none does). */
export function splitDuration(ms: number, units: readonly DurationUnit[] = ["s", "min", "h", "d"]): DurationValue {
  const sorted = [...units].sort((a, b) => UNIT_MS[b] - UNIT_MS[a]);
  if (ms === 0) return { amount: "0", unit: sorted.includes("min") ? "min" : sorted[sorted.length - 1] };
  const exact = sorted.find((u) => ms % UNIT_MS[u] === 0);
  const unit = exact ?? sorted[sorted.length - 1];
  return { amount: trim(ms / UNIT_MS[unit]), unit };
}

/** Milliseconds, or null when the amount is not a number of 0 or more. */
export function joinDuration(v: DurationValue): number | null {
  const t = v.amount.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Math.round(Number(t) * UNIT_MS[v.unit]);
}
