// Label matchers as Alertmanager writes them — `severity="critical"`, `agent!="b-1"`,
// `capability=~"gpu|cuda"`, `team!~"ops.*"` — for silences and for routing alerts to channels.
// A regular expression is anchored (matches the whole value), as in Prometheus. Pure.

export type Labels = Readonly<Record<string, string>>;

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** Parses one matcher; a sentence naming what is wrong otherwise. */
export function parseMatcher(text: string): Matcher | string {
  const m = MATCHER.exec(text);
  if (!m) return `"${text}" is not a label matcher such as severity="critical", agent!="b-1" or capability=~"gpu|cuda"`;
  const value = m[3].replace(/\\(.)/g, "$1");
  const op = m[2] as MatchOp;
  if (op === "=~" || op === "!~") {
    try {
      new RegExp(`^(?:${value})$`);
    } catch {
      return `"${value}" in ${m[1]}${op} is not a valid regular expression`;
    }
  }
  return { name: m[1], op, value };
}

/** `a="x", b=~"y"` or one per line: every matcher, or the first error. */
export function parseMatchers(text: string): Matcher[] | string {
  const parts = splitMatchers(text);
  const out: Matcher[] = [];
  for (const p of parts) {
    const m = parseMatcher(p);
    if (typeof m === "string") return m;
    out.push(m);
  }
  return out;
}

/** Splits on commas and newlines outside quotes. */
function splitMatchers(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && quoted) {
      cur += ch + (text[++i] ?? "");
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === "," || ch === "\n")) {
      if (cur.trim()) out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const compiled = new Map<string, RegExp>();
function regex(value: string): RegExp {
  let r = compiled.get(value);
  if (!r) {
    r = new RegExp(`^(?:${value})$`);
    if (compiled.size > 500) compiled.clear();
    compiled.set(value, r);
  }
  return r;
}

/** A label that is not there has the value "" (so `team=""` matches alerts without a team). */
export function matches(m: Matcher, labels: Labels): boolean {
  const v = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return regex(m.value).test(v);
    case "!~":
      return !regex(m.value).test(v);
  }
}

export const matchesAll = (ms: readonly Matcher[], labels: Labels) => ms.every((m) => matches(m, labels));

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}"${m.value.replace(/(["\\])/g, "\\$1")}"`;
}
