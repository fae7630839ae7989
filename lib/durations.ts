// Durations as people write them in configuration: "90s", "5m", "1h30m", "7d" (Prometheus's
// units), and back. Pure; used by the environment, alert rules in YAML and the forms.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** "5m" → 300000, "1h30m" → 5400000, "250ms" → 250; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, "");
  if (!t || !/^(\d+(?:\.\d+)?(ms|s|m|h|d|w))+$/.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Math.round(ms);
}

/** 300000 → "5m", 5400000 → "1h30m", 0 → "0s": the shortest exact spelling. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of [["d", UNIT_MS.d], ["h", UNIT_MS.h], ["m", UNIT_MS.m], ["s", UNIT_MS.s], ["ms", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A configuration object with its `…Ms` fields written as durations ("30s") turned into milliseconds, at any depth. */
export function msFieldsFromDurations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(msFieldsFromDurations);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k.endsWith("Ms") && typeof x === "string" && parseDuration(x) != null ? parseDuration(x) : msFieldsFromDurations(x)]));
}
