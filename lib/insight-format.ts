// Number formats and small derivations of the insight pages (analytics, errors, capacity). Pure:
// every figure comes from the server's answer; these only turn it into text, a direction or a
// colour. Nulls ("nothing was measured") become "—", never 0.
import type { InsightRange } from "@/lib/api";
import { formatDuration } from "@/lib/client/format";

export const NONE = "—";

/** "850 ms", "12.3 s", "4m 05s"; "—" when nothing was measured. */
export function formatMs(ms: number | null | undefined): string {
  return ms == null ? NONE : formatDuration(ms);
}

/** A short duration for a chart axis: "250 ms", "12 s", "4 min", "1.4 h", "2 d". */
export function formatMsShort(ms: number | null | undefined): string {
  if (ms == null) return NONE;
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${trim((ms / 1000).toFixed(a < 10_000 ? 1 : 0))} s`;
  if (a < 3_600_000) return `${trim((ms / 60_000).toFixed(a < 600_000 ? 1 : 0))} min`;
  if (a < 86_400_000) return `${trim((ms / 3_600_000).toFixed(1))} h`;
  return `${trim((ms / 86_400_000).toFixed(1))} d`;
}

const DURATION_STEPS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3, 86400e3];

/** Ticks for a duration axis from 0 past `maxMs`, on round durations (1 min, 5 min, 15 min, …), at most `max` steps. */
export function durationTicks(maxMs: number, max = 4): number[] {
  if (!(maxMs > 0)) return [0];
  const step = DURATION_STEPS.find((s) => maxMs / s <= max) ?? Math.ceil(maxMs / max / 86400e3) * 86400e3;
  const out = [0];
  while (out[out.length - 1] < maxMs) out.push(out[out.length - 1] + step);
  return out;
}

/** A 0..1 ratio as a percentage: "0 %", "4.2 %", "87 %"; "—" for null. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio == null) return NONE;
  const pct = ratio * 100;
  if (pct === 0) return "0 %";
  if (Math.abs(pct) < 10) return `${trim(pct.toFixed(1))} %`;
  return `${Math.round(pct)} %`;
}

/** A percentage that is already 0..100 (CPU): "43 %". */
export function formatPct(pct: number | null | undefined): string {
  return pct == null ? NONE : `${Math.round(pct)} %`;
}

/** A count or rate with as many digits as help: "0", "0.35", "4.2", "130", "12,480". */
export function formatNumber(n: number | null | undefined): string {
  if (n == null) return NONE;
  if (n === 0) return "0";
  const a = Math.abs(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  if (a < 0.01) return n < 0 ? ">-0.01" : "<0.01";
  if (a < 10) return trim(n.toFixed(2));
  if (a < 100) return trim(n.toFixed(1));
  return Math.round(n).toLocaleString("en-US");
}

/** Memory in MB or GB: "498 MB", "1.8 GB"; "—" for null. */
export function formatMemoryMb(mb: number | null | undefined): string {
  if (mb == null) return NONE;
  return mb >= 1024 ? `${trim((mb / 1024).toFixed(1))} GB` : `${Math.round(mb)} MB`;
}

/** Tasks per hour: "12.5/h". */
export function formatPerHour(n: number | null | undefined): string {
  return n == null ? NONE : `${formatNumber(n)}/h`;
}

/** Slot-hours: "3.2 slot-h". */
export function formatSlotHours(n: number): string {
  return `${formatNumber(n)} slot-h`;
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

// ---- Change against the previous period ---------------------------------------------------------

export type ChangeKind = "relative" | "points";
export type Direction = "up" | "down" | "same" | "new" | "none";
export type Tone = "good" | "bad" | "neutral";

export interface Change {
  direction: Direction;
  tone: Tone;
  /** "+12 %", "−3.1 pp", "new", "no change", "—". */
  text: string;
  /** For assistive technology and tooltips: "up 12 % from 41/h". */
  description: string;
}

/**
 * How `now` moved from `previous`. Counts, rates and durations compare relatively ("+12 %");
 * ratios (success rate, utilisation) in percentage points ("+2.1 pp"), since 90 % → 99 % is not a
 * "+10 %" anyone means. `better` says which way is good: up for throughput, down for waits.
 */
export function change(now: number | null | undefined, previous: number | null | undefined, opts: { kind?: ChangeKind; better: "up" | "down" | "neither"; format?: (v: number) => string }): Change {
  const fmt = opts.format ?? ((v: number) => formatNumber(v));
  if (now == null) return { direction: "none", tone: "neutral", text: NONE, description: "nothing measured in this period" };
  if (previous == null || (opts.kind !== "points" && previous === 0)) {
    if (now === 0 || previous == null) return { direction: previous == null ? "new" : "same", tone: "neutral", text: previous == null ? "new" : "no change", description: previous == null ? "nothing measured in the previous period" : "no change" };
    return { direction: "new", tone: "neutral", text: "new", description: "none in the previous period" };
  }
  const diff = now - previous;
  const magnitude = opts.kind === "points" ? diff * 100 : (diff / Math.abs(previous)) * 100;
  const rounded = Math.abs(magnitude) < 10 ? Math.round(magnitude * 10) / 10 : Math.round(magnitude);
  if (rounded === 0) return { direction: "same", tone: "neutral", text: "no change", description: `no change from ${fmt(previous)}` };
  const direction: Direction = diff > 0 ? "up" : "down";
  const tone: Tone = opts.better === "neither" ? "neutral" : direction === opts.better ? "good" : "bad";
  const unit = opts.kind === "points" ? " pp" : " %";
  const sign = rounded > 0 ? "+" : "−";
  const text = `${sign}${Math.abs(rounded)}${unit}`;
  return { direction, tone, text, description: `${direction} ${Math.abs(rounded)}${unit} from ${fmt(previous)}` };
}

// ---- Ranges -------------------------------------------------------------------------------------

export const RANGE_LABEL: Record<InsightRange, { short: string; long: string; previous: string }> = {
  "1h": { short: "1 h", long: "the last hour", previous: "the hour before" },
  "24h": { short: "24 h", long: "the last 24 hours", previous: "the 24 hours before" },
  "7d": { short: "7 d", long: "the last 7 days", previous: "the 7 days before" },
  "30d": { short: "30 d", long: "the last 30 days", previous: "the 30 days before" },
};

export function isInsightRange(v: unknown): v is InsightRange {
  return typeof v === "string" && Object.hasOwn(RANGE_LABEL, v);
}

/** "every 15 minutes", "hourly": how wide one point of a series is. */
export function stepLabel(stepMs: number): string {
  const min = Math.round(stepMs / 60_000);
  if (min === 1) return "per minute";
  if (min < 60) return `per ${min} minutes`;
  const h = Math.round(min / 60);
  return h === 1 ? "per hour" : `per ${h} hours`;
}

/** Tick text for a time axis: "14:00" over a day or so, "Tue 12:00" over a week, "26 Nov" beyond. */
export function timeTick(at: number, spanMs: number, timeZone?: string): string {
  const hm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
  if (spanMs <= 36 * 3_600_000) return hm;
  if (spanMs <= 8 * 86_400_000) return `${new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone }).format(at)} ${hm}`;
  return new Intl.DateTimeFormat("en-GB", { month: "short", day: "numeric", timeZone }).format(at);
}

const TICK_STEPS = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

/** The browser's offset from UTC at `at`, in ms (east positive). */
export function localOffsetMs(at: number): number {
  return -new Date(at).getTimezoneOffset() * 60_000;
}

/**
 * Round times for a time axis between `from` and `to`: the smallest step from 5 minutes to a
 * week that gives at most `max` ticks, on local boundaries (whole hours, midnights).
 */
export function timeTicks(from: number, to: number, max = 7, offsetMs = localOffsetMs(from)): number[] {
  if (!(to > from) || max < 1) return [];
  const step = TICK_STEPS.find((s) => (to - from) / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const out: number[] = [];
  for (let t = Math.ceil((from + offsetMs) / step) * step - offsetMs; t <= to; t += step) out.push(t);
  return out;
}

/** Date and time for a tooltip or a banner: "Mon 17 Nov, 09:00". */
export function formatWhen(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/** The banner every insight page shows over simulated history. */
export function simulatedText(sim: { from: number; to: number; note: string }, timeZone?: string): string {
  // The note may begin "simulated: …"; the banner says so already.
  const note = sim.note.replace(/^simulated(\s+history)?\s*:\s*/i, "").trim() || "replayed history";
  return `Simulated history: ${note}, ${formatWhen(sim.from, timeZone)} – ${formatWhen(sim.to, timeZone)}`;
}

// ---- Heatmap ------------------------------------------------------------------------------------

/** The CPU heatmap's scale: five bands, light to dark, readable on light and dark surfaces. */
export const HEAT_BANDS: readonly { from: number; to: number; colour: string; label: string }[] = [
  { from: 0, to: 20, colour: "#dbeafe", label: "0–20 %" },
  { from: 20, to: 40, colour: "#93c5fd", label: "20–40 %" },
  { from: 40, to: 60, colour: "#3b82f6", label: "40–60 %" },
  { from: 60, to: 80, colour: "#c2410c", label: "60–80 %" },
  { from: 80, to: Infinity, colour: "#7f1d1d", label: "80 % and more" },
];

/** The band of a CPU percentage; null ("no samples") has none. */
export function heatBand(pct: number | null | undefined): number | null {
  if (pct == null || !Number.isFinite(pct)) return null;
  const i = HEAT_BANDS.findIndex((b) => pct < b.to);
  return Math.max(0, i < 0 ? HEAT_BANDS.length - 1 : i);
}

export function heatColour(pct: number | null | undefined): string | null {
  const b = heatBand(pct);
  return b == null ? null : HEAT_BANDS[b].colour;
}

/** How a utilisation bar is coloured: spare, getting full, or (nearly) saturated. */
export function utilisationTone(u: number | null | undefined): "none" | "spare" | "high" | "saturated" {
  if (u == null) return "none";
  return u >= 0.85 ? "saturated" : u >= 0.6 ? "high" : "spare";
}

// ---- Error groups -------------------------------------------------------------------------------

/** The SVG polyline of a per-slot count trend, scaled to its own maximum (flat at the bottom when all zero). */
export function trendPoints(counts: readonly number[], width: number, height: number): string {
  if (counts.length === 0) return "";
  const max = Math.max(...counts, 0);
  const n = counts.length;
  const x = (i: number) => (n === 1 ? width / 2 : (i / (n - 1)) * (width - 2) + 1);
  const y = (v: number) => (max === 0 ? height - 1 : height - 1 - (v / max) * (height - 2));
  return counts.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
}

export const ERROR_FILTER_STATUSES = ["open", "resolved", "ignored", "all"] as const;
export type ErrorFilterStatus = (typeof ERROR_FILTER_STATUSES)[number];

export function isErrorFilterStatus(v: unknown): v is ErrorFilterStatus {
  return typeof v === "string" && (ERROR_FILTER_STATUSES as readonly string[]).includes(v);
}

/** "builder-2 (12), builder-1 (3)" — the first few of a counted list. */
export function topCounted(list: readonly { key: string; count: number }[], n = 2): string {
  if (list.length === 0) return NONE;
  const shown = list.slice(0, n).map((c) => `${c.key} (${c.count})`);
  const rest = list.length - n;
  return rest > 0 ? `${shown.join(", ")} +${rest} more` : shown.join(", ");
}

/** MAPE as the capacity card says it. */
export function mapeText(mape: number | null): string {
  return mape == null ? "forecast error on the last day: not enough history" : `forecast error on the last day: ${formatRatio(mape)}`;
}

/** The server's default queue-wait target (lib/api/insight.ts). */
export const DEFAULT_TARGET_WAIT_MS = 60_000;

/** Wait targets the capacity page offers (inputs to the server, not figures it shows). */
export const TARGET_WAITS: readonly { ms: number; label: string }[] = [
  { ms: 30_000, label: "30 s" },
  { ms: 60_000, label: "1 min" },
  { ms: 300_000, label: "5 min" },
  { ms: 900_000, label: "15 min" },
];
