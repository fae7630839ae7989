// How bad input is refused, the same way on every way in (REST, tRPC, sockets, MCP) and in the
// CLI: one sentence that names the field and says what it must be ("title: must not be empty"),
// never a dump of validation internals, and never a 300 KB echo of what was sent.
import type { z } from "zod";

/** What an error message may quote of the caller's input. */
const QUOTE_CHARS = 40;
const ISSUE_CHARS = 200;
const MESSAGE_CHARS = 600;
const MAX_ISSUES = 5;

/** `"abc…"`: a quoted value cut to a readable length, so an error never echoes a huge input. */
export function quote(value: unknown, max = QUOTE_CHARS): string {
  const s = typeof value === "string" ? value : String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const TYPE_NAMES: Record<string, string> = { int: "a whole number", number: "a number", string: "text", boolean: "true or false", object: "an object", array: "a list" };
const typeName = (t: string) => TYPE_NAMES[t] ?? t;

type Issue = z.core.$ZodIssue;

/** zod's own messages start like this; messages a schema author wrote are kept as they are. */
const DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized key)/;

/** One issue in words, without its path. */
export function issueText(issue: Issue): string {
  const i = issue as Issue & Record<string, unknown>;
  switch (issue.code) {
    case "invalid_type": {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === "undefined") return "is required";
      return `must be ${typeName(String(i.expected))}${received && received !== i.expected ? `, not ${received === "null" ? "null" : typeName(received)}` : ""}`;
    }
    case "too_small": {
      const min = Number(i.minimum);
      const inclusive = i.inclusive !== false;
      if (i.origin === "string") return min <= 1 && inclusive ? "must not be empty" : `must be at least ${plural(inclusive ? min : min + 1, "character")}`;
      if (i.origin === "array" || i.origin === "set") return min <= 1 ? "must not be empty" : `must have at least ${plural(min, "item")}`;
      return inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case "too_big": {
      const max = Number(i.maximum);
      const inclusive = i.inclusive !== false;
      if (i.origin === "string") return `must be at most ${plural(max, "character")}`;
      if (i.origin === "array" || i.origin === "set") return `must have at most ${plural(max, "item")}`;
      return inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case "invalid_value":
      return `must be one of ${(i.values as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys": {
      const keys = i.keys as string[];
      return `unknown field${keys.length === 1 ? "" : "s"} ${keys.slice(0, 3).map((k) => quote(k)).join(", ")}${keys.length > 3 ? ` and ${keys.length - 3} more` : ""}`;
    }
    case "invalid_format":
      if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
      return i.format === "regex" ? "has an invalid format" : `must be a valid ${String(i.format)}`;
    case "invalid_union": {
      const first = (i.errors as Issue[][] | undefined)?.[0]?.[0];
      return first ? issueText(first) : "does not match any allowed shape";
    }
    case "not_multiple_of":
      return `must be a multiple of ${String(i.divisor)}`;
    default:
      return DEFAULT_MESSAGE.test(issue.message) ? issue.message.replace(/^Invalid input:?\s*/, "is invalid") : issue.message;
  }
}

/** `steps.0.command` — path segments cut so a hostile key cannot make the message huge. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => clip(String(p), QUOTE_CHARS)).join(".");
}

/** Every issue (up to five) as "field: what it must be", joined with "; ". */
export function describeIssues(issues: readonly Issue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((i) => clip(i.path.length ? `${pathText(i.path)}: ${issueText(i)}` : issueText(i), ISSUE_CHARS));
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : "";
  return clip(parts.join("; ") + more, MESSAGE_CHARS);
}

// ---- Ill-formed strings ----

/** A lone UTF-16 surrogate: valid in a JS string, but not text — databases and encoders choke on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (or object key) in a parsed request that is not well-formed
 * Unicode, or null. Checked once at every edge, so no id, key or name with a lone surrogate
 * reaches a query.
 */
export function findIllFormed(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== "object" || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = findIllFormed(value[i], [...path, i], depth + 1);
      if (r) return r;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (LONE_SURROGATE.test(k)) return [...path, k];
    const r = findIllFormed(v, [...path, k], depth + 1);
    if (r) return r;
  }
  return null;
}

/** The sentence for an ill-formed string at `path`. */
export function illFormedMessage(path: (string | number)[]): string {
  const where = path.length ? `${pathText(path)}: ` : "";
  return `Invalid request: ${where}contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text.`;
}
