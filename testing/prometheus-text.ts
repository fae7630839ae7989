// A strict parser of the Prometheus text exposition format (0.0.4), for tests that scrape
// /metrics: what a real Prometheus would refuse, this throws on, with the line number — so a
// test cannot pass on output a scraper would drop. Checked: `# HELP` / `# TYPE` syntax, one of
// each per family and TYPE before the family's samples; each family's lines in one group; metric
// and label names; label value escapes (\\ \" \n) and quoting; values (floats, NaN, ±Inf) and
// integer timestamps; no duplicate label names or series; histogram and summary sample names;
// a final line feed. It does not judge what the numbers mean: see `histogramOf` for buckets.

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_count`, …), not the family's. */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

export class PrometheusTextError extends Error {
  constructor(line: number, message: string, text: string) {
    super(`line ${line}: ${message}: ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`);
  }
}

/** As Prometheus reads them (Go's ParseFloat without hex or `_`): NaN and Inf in any case — prom-client writes `Nan`. */
function parseValue(s: string): number | null {
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  return FLOAT.test(s) ? Number(s) : null;
}

/** `# HELP` docstrings escape only backslash and line feed. */
function unescapeHelp(s: string): string | null {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\") {
      out += s[i];
      continue;
    }
    const n = s[++i];
    if (n === "\\") out += "\\";
    else if (n === "n") out += "\n";
    else return null;
  }
  return out;
}

/** `{a="x",b="y\"z"}` starting at `at` (the brace); returns the labels and where it ended. */
function parseLabels(line: string, at: number, fail: (m: string) => never): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  const skip = () => {
    while (line[i] === " " || line[i] === "\t") i++;
  };
  for (;;) {
    skip();
    if (line[i] === "}") return { labels, end: i + 1 };
    const start = i;
    while (i < line.length && /[a-zA-Z0-9_]/.test(line[i])) i++;
    const name = line.slice(start, i);
    if (!LABEL_NAME.test(name)) fail(`bad label name at column ${start + 1}`);
    if (Object.hasOwn(labels, name)) fail(`duplicate label ${name}`);
    skip();
    if (line[i] !== "=") fail(`expected = after label ${name}`);
    i++;
    skip();
    if (line[i] !== '"') fail(`expected a quoted value for label ${name}`);
    i++;
    let value = "";
    for (;;) {
      if (i >= line.length) fail(`unterminated value of label ${name}`);
      const c = line[i++];
      if (c === '"') break;
      if (c !== "\\") {
        value += c;
        continue;
      }
      const n = line[i++];
      if (n === "\\") value += "\\";
      else if (n === '"') value += '"';
      else if (n === "n") value += "\n";
      else fail(`bad escape \\${n ?? ""} in label ${name}`);
    }
    labels[name] = value;
    skip();
    if (line[i] === ",") {
      i++;
      continue;
    }
    if (line[i] === "}") return { labels, end: i + 1 };
    fail(`expected , or } after label ${name}`);
  }
}

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",")}}`;

/** Which family a sample belongs to: its own name, or a histogram's/summary's by suffix. */
function familyOf(families: Map<string, MetricFamily>, name: string): { family: string; suffix: string } {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === "histogram" || (base.type === "summary" && suffix !== "_bucket"))) return { family: base.name, suffix };
  }
  return { family: name, suffix: "" };
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  const typed = new Set<string>();
  /** Families whose group of lines is over: meeting one again is an error. */
  const closed = new Set<string>();
  let current: string | null = null;
  const enter = (family: string, fail: (m: string) => never) => {
    if (family === current) return;
    if (closed.has(family)) fail(`lines of ${family} are not in one group`);
    if (current) closed.add(current);
    current = family;
  };
  if (text.length > 0 && !text.endsWith("\n")) throw new PrometheusTextError(text.split("\n").length, "the last line must end with a line feed", text.slice(-60));
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((line, index) => {
    const fail = (m: string): never => {
      throw new PrometheusTextError(index + 1, m, line);
    };
    if (line.trim() === "") return;
    if (/^[ \t]*#/.test(line)) {
      const m = /^[ \t]*#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) {
        if (/^[ \t]*#[ \t]*(HELP|TYPE)\b/.test(line)) fail("malformed HELP or TYPE line");
        return; // any other comment
      }
      const [, kind, name, rest = ""] = m;
      if (!METRIC_NAME.test(name)) fail(`bad metric name ${name}`);
      enter(name, fail);
      const f = families.get(name) ?? { name, type: "untyped" as MetricType, samples: [] };
      if (kind === "HELP") {
        if (f.help !== undefined) fail(`second HELP for ${name}`);
        const help = unescapeHelp(rest);
        if (help === null) fail(`bad escape in HELP of ${name}`);
        f.help = help!;
      } else {
        if (!TYPES.has(rest.trim() as MetricType)) fail(`unknown type ${rest.trim() || "(none)"} for ${name}`);
        if (typed.has(name)) fail(`second TYPE for ${name}`);
        if (f.samples.length) fail(`TYPE for ${name} after its samples`);
        f.type = rest.trim() as MetricType;
        typed.add(name);
      }
      families.set(name, f);
      return;
    }
    const nameMatch = /^[ \t]*([^ \t{]+)/.exec(line);
    const name = nameMatch ? nameMatch[1] : "";
    if (!METRIC_NAME.test(name)) fail(`bad metric name ${name || "(none)"}`);
    let i = nameMatch![0].length;
    let labels: Record<string, string> = {};
    if (line[i] === "{") ({ labels, end: i } = parseLabels(line, i, fail));
    const rest = line.slice(i);
    if (rest.length && !/^[ \t]/.test(rest)) fail("expected a blank before the value");
    const parts = rest.trim().split(/[ \t]+/).filter(Boolean);
    if (parts.length < 1 || parts.length > 2) fail("expected a value and at most a timestamp");
    const value = parseValue(parts[0]);
    if (value === null) fail(`bad value ${parts[0]}`);
    let timestamp: number | undefined;
    if (parts[1] !== undefined) {
      if (!/^-?\d+$/.test(parts[1])) fail(`bad timestamp ${parts[1]}`);
      timestamp = Number(parts[1]);
    }
    const { family, suffix } = familyOf(families, name);
    enter(family, fail);
    const f = families.get(family) ?? { name: family, type: "untyped" as MetricType, samples: [] };
    families.set(family, f);
    if (f.type === "histogram") {
      if (!suffix) fail(`histogram ${family} has a sample without _bucket, _sum or _count`);
      if (suffix === "_bucket" && (labels.le === undefined || parseValue(labels.le) === null)) fail(`bucket of ${family} without a numeric le`);
    }
    if (f.type === "summary" && !suffix && (labels.quantile === undefined || parseValue(labels.quantile) === null)) fail(`summary ${family} sample without a numeric quantile`);
    const key = seriesKey(name, labels);
    if (seen.has(key)) fail(`duplicate series ${key}`);
    seen.add(key);
    f.samples.push({ name, labels, value: value!, ...(timestamp !== undefined ? { timestamp } : {}) });
  });
  return families;
}

const hasLabels = (s: Sample, match: Record<string, string>) => Object.entries(match).every(([k, v]) => s.labels[k] === v);

/** Samples named `name` (a sample name such as `x_count`) whose labels include `match`. */
export function samplesOf(families: Map<string, MetricFamily>, name: string, match: Record<string, string> = {}): Sample[] {
  const f = families.get(familyOf(families, name).family);
  return (f?.samples ?? []).filter((s) => s.name === name && hasLabels(s, match));
}

/** The one sample named `name` with exactly these labels, or undefined. */
export function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = seriesKey(name, labels);
  return samplesOf(families, name, labels).find((s) => seriesKey(s.name, s.labels) === want)?.value;
}

export interface HistogramSeries {
  /** In increasing `le`, +Inf last, as exposed (cumulative counts). */
  buckets: { le: number; count: number }[];
  count: number | undefined;
  sum: number | undefined;
}

/** One series of a histogram family: the one whose labels (besides `le`) are exactly `labels`. */
export function histogramOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): HistogramSeries {
  const f = families.get(name);
  if (!f || f.type !== "histogram") throw new Error(`${name} is not a histogram in this scrape`);
  const same = (s: Sample) => {
    const { le: _le, ...rest } = s.labels;
    return seriesKey("", rest) === seriesKey("", labels);
  };
  const buckets = f.samples
    .filter((s) => s.name === `${name}_bucket` && same(s))
    .map((s) => ({ le: parseValue(s.labels.le)!, count: s.value }))
    .sort((a, b) => a.le - b.le);
  return {
    buckets,
    count: f.samples.find((s) => s.name === `${name}_count` && same(s))?.value,
    sum: f.samples.find((s) => s.name === `${name}_sum` && same(s))?.value,
  };
}
