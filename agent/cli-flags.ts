// Parsing of CLI flag values. Each parser throws a UsageError whose message names the flag
// and says what was expected, which the CLI prints as is.

import { acceptRuleSchema, parseCapability, type Capability } from "../lib/protocol";

export class UsageError extends Error {}

export function parseCapabilityFlag(text: string): Capability {
  try {
    return parseCapability(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--accept-from role:admin` (repeatable). */
export function parseAcceptFromFlag(text: string): string {
  const r = acceptRuleSchema.safeParse(text.trim());
  if (!r.success) throw new UsageError(`invalid --accept-from "${text}": ${r.error.issues[0]?.message}`);
  return r.data;
}

/** `--label region=eu` (repeatable); the value may itself contain '='. */
export function parseLabelFlag(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`invalid label "${text}": expected key=value`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

export function labelsFrom(flags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const [key, value] = parseLabelFlag(flag);
    if (Object.hasOwn(labels, key) && labels[key] !== value) throw new UsageError(`label "${key}" is given twice with different values`);
    labels[key] = value;
  }
  return labels;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "30s", "500ms", "2m", "1h"; a bare number means seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new UsageError(`invalid ${flag} "${text}": expected a duration like 30s, 500ms or 2m`);
  return Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? "s") as keyof typeof UNIT_MS]);
}

export function parseIntFlag(text: string, flag: string, { min = -Infinity, max = Infinity } = {}): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || n < min || n > max) {
    const range = min > -Infinity && max < Infinity ? ` between ${min} and ${max}` : min > -Infinity ? ` of at least ${min}` : "";
    throw new UsageError(`invalid ${flag} "${text}": expected a whole number${range}`);
  }
  return n;
}

export function parseJsonFlag(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid ${flag}: not valid JSON (${(error as Error).message})`);
  }
}

/** Commander's collector for repeatable flags. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
