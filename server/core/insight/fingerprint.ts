// Which failures are "the same": the error and the last log lines with everything that varies
// between occurrences replaced by placeholders (as Sentry groups events) — UUIDs, hex ids and
// hashes, timestamps and dates, IP addresses, host names and URLs, file paths, e-mail
// addresses, quoted strings, and numbers — then hashed. `exit code 3: connection to
// 10.0.0.7:5432 refused after 1503 ms` and `exit code 3: connection to 10.0.0.9:5432 refused
// after 88 ms` are one group; a different message is another.
import { createHash } from "node:crypto";

type Rule = [RegExp, string | ((m: string) => string)];

const RULES: Rule[] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, "<time>"],
  [/\b\d{4}-\d{2}-\d{2}\b/g, "<date>"],
  [/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, "<time>"],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, "<email>"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, "<url>"],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(:\d+)?\b/g, "<ip>"],
  [/(?:~|\.{1,2})?(?:\/[\w@.+-]+){2,}\/?/g, "<path>"],
  [/\b[A-Za-z]:\\[^\s"']+/g, "<path>"],
  [/\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|local|internal|svc|cluster|lan|cloud)\b(:\d+)?/gi, "<host>"],
  [/\b(?:0x)?[0-9a-f]{12,}\b/gi, "<hex>"],
  // Short hashes (a git sha): hex with both digits and letters, so plain words stay.
  [/\b[0-9a-f]{7,}\b/gi, (m) => (/\d/.test(m) && /[a-f]/i.test(m) ? "<hex>" : m)],
  [/\b[a-z]{1,5}_[A-Za-z0-9_-]{6,}\b/g, "<id>"],
  [/"(?:[^"\\]|\\.){1,200}"/g, '"<str>"'],
  [/'(?:[^'\\]|\\.){1,200}'/g, "'<str>'"],
  [/[-+]?\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi, "<n>"],
];

/** The text with everything that varies between occurrences replaced by a placeholder. */
export function normalize(text: string): string {
  let s = text.slice(0, 2_000);
  for (const [re, to] of RULES) s = typeof to === "string" ? s.replace(re, to) : s.replace(re, to);
  return s.replace(/\s+/g, " ").trim();
}

/** The lines that identify a failure: the error, and the last non-empty log lines (stderr first). */
export function signatureOf(error: string, lastLines: readonly { stream: string; line: string }[]): string {
  const err = normalize(error);
  const tail = lastLines
    .filter((l) => l.line.trim())
    .slice(-3)
    .map((l) => normalize(l.line));
  // An error that already quotes the output ("exit code 3: <last line>") needs no tail.
  const extra = tail.filter((t) => !err.includes(t));
  return [err, ...extra.slice(-2)].join("\n");
}

export function fingerprint(error: string, lastLines: readonly { stream: string; line: string }[] = []): string {
  return createHash("sha256").update(signatureOf(error, lastLines)).digest("hex").slice(0, 16);
}

/** A short, readable title for a group: its normalized error, cut. */
export function groupTitle(error: string): string {
  const n = normalize(error);
  return n.length > 140 ? `${n.slice(0, 139)}…` : n;
}
