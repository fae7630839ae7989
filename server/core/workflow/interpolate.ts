// `{{ path }}` references in a step's title, command, payload, labels and description.
//
// Typing rule: a string that is exactly one reference ("{{ steps.plan.result }}") becomes the
// referenced value itself, so a payload can receive a number or an object; anywhere else
// the value is written into the text (strings as they are, objects and null as JSON).
// Interpolation is one pass: text that a value brings in is never scanned for references,
// so a parameter's value cannot inject a reference of its own.
//
// Paths: dot-separated names (letters, digits, _, - and :, so parameter names like
// `max-retries` work) and bracketed keys or indexes: {{ steps.a.result["two words"][0] }}.
// Every {{ … }} must be a valid reference; there is no escape for a literal "{{".
import { readPath, formatPath } from "./safe-path";

export class InterpolationError extends Error {
  constructor(
    message: string,
    /** The reference as written, e.g. "{{ steps.build.result.sha }}". */
    readonly reference: string,
  ) {
    super(message);
    this.name = "InterpolationError";
  }
}

export interface Reference {
  path: string[];
  /** The whole `{{ … }}` as written. */
  raw: string;
  /** `{{ x | raw }}`: in a command, inserted unquoted (see shell-interpolate.ts); elsewhere the same as without. */
  filter: "raw" | null;
}

// No braces inside: keeps matching linear on hostile input ("{{{{…" or a "{{" never closed).
export const REFERENCE = /\{\{([^{}]*)\}\}/g;
const RAW_FILTER = /\|\s*raw\s*$/;
const SEGMENT = /^[A-Za-z0-9_:-]+/;

/** Parses the inside of `{{ … }}` into path segments, or returns null when it is not a path. */
function parsePath(inner: string): string[] | null {
  const s = inner.trim();
  const path: string[] = [];
  let i = 0;
  const first = SEGMENT.exec(s);
  if (!first) return null;
  path.push(first[0]);
  i = first[0].length;
  while (i < s.length) {
    if (s[i] === ".") {
      const m = SEGMENT.exec(s.slice(i + 1));
      if (!m) return null;
      path.push(m[0]);
      i += 1 + m[0].length;
    } else if (s[i] === "[") {
      const m = /^\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([0-9]+))\s*\]/.exec(s.slice(i));
      if (!m) return null;
      path.push(m[3] ?? (m[1] ?? m[2]).replace(/\\(.)/g, "$1"));
      i += m[0].length;
    } else {
      return null;
    }
  }
  return path;
}

/** Every reference in `text`, in order. Throws InterpolationError for a `{{ … }}` that is not a path. */
export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const raw = RAW_FILTER.test(m[1]);
    const path = parsePath(raw ? m[1].replace(RAW_FILTER, "") : m[1]);
    if (!path)
      throw new InterpolationError(`${m[0]} is not a reference: write a path such as {{ params.name }} or {{ steps.build.result.field }}`, m[0]);
    out.push({ path, raw: m[0], filter: raw ? "raw" : null });
  }
  return out;
}

export function referenceValue(ref: Reference, scope: Record<string, unknown>): unknown {
  const v = readPath(scope, ref.path);
  if (v === undefined) throw new InterpolationError(`${ref.raw} has no value: ${formatPath(ref.path)} is missing`, ref.raw);
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function interpolateString(text: string, scope: Record<string, unknown>, keepMissing = false): unknown {
  const refs = findReferences(text);
  if (refs.length === 0) return text;
  if (refs.length === 1 && refs[0].raw === text) return lookupOr(refs[0], scope, keepMissing);
  let i = 0;
  // findReferences has validated every match, so the replacer sees them in the same order.
  return text.replace(REFERENCE, () => {
    const ref = refs[i++];
    const v = lookupOr(ref, scope, keepMissing);
    return v === MISSING ? ref.raw : toText(v);
  });
}

const MISSING = Symbol("missing");

function lookupOr(ref: Reference, scope: Record<string, unknown>, keepMissing: boolean): unknown {
  if (!keepMissing) return referenceValue(ref, scope);
  const v = readPath(scope, ref.path);
  return v === undefined ? MISSING : v;
}

/**
 * A title (or other text) with what is known now filled in and references to what is not yet
 * known (a later step's result) left as written — for previews and not-yet-started steps.
 */
export function interpolateKnown(text: string, scope: Record<string, unknown>): string {
  try {
    const v = interpolateString(text, scope, true);
    return v === MISSING ? text : toText(v);
  } catch {
    return text;
  }
}

/**
 * Replaces references in every string inside `value` (nested arrays and plain objects are
 * copied, other values returned as they are). Throws InterpolationError naming a reference
 * that is malformed or has no value in `scope`.
 */
export function interpolate(value: unknown, scope: Record<string, unknown>): unknown {
  if (typeof value === "string") return interpolateString(value, scope);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, scope));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty, not assignment: a payload key "__proto__" stays a plain key.
      Object.defineProperty(out, k, { value: interpolate(v, scope), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Every string inside `value` with where it is (`payload.files[0]`), for validation. */
export function collectStrings(value: unknown, at: string, out: { text: string; at: string }[] = []): { text: string; at: string }[] {
  if (typeof value === "string") out.push({ text: value, at });
  else if (Array.isArray(value)) value.forEach((v, i) => collectStrings(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) collectStrings(v, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`, out);
  return out;
}
