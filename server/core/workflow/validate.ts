// Validation of a workflow template: first the schema (lib/workflow.ts), then the checks that
// need the whole graph. Every issue names the step it is in and a readable path
// (`steps[2].requires[0]`), and all issues are reported together so an author fixes a
// template in one pass.
//
// Cycle policy: a cycle is reported once per distinct cycle, as a walk in execution order
// starting at its earliest step in the file ("cycle: build → test → package → build").
// Strongly connected components are found with Tarjan's algorithm; inside each, the
// shortest cycle through each not-yet-covered member (lowest file position first) is
// reported, so every step on a cycle appears in a message without listing the exponential
// number of cycles a dense component can hold. Neighbours are visited in file order, so the
// output is deterministic.
import { parseDocument } from "yaml";
import type { z } from "zod";
import { WORKFLOW_LIMITS, templateSchema, type StepDef, type Template } from "@/lib/workflow";
import { type ValidationIssue } from "@/lib/api";
import { ExpressionError, parseExpression, referencedPaths } from "./expression";
import { isFanOutCount, parallelParam } from "./fan-out";
import { InterpolationError, collectStrings, findReferences } from "./interpolate";
import { commandReferenceIssues } from "./shell-interpolate";
import { formatPath, readPath } from "./safe-path";

type Result<T> = { ok: true } & T;
type Failure = { ok: false; issues: ValidationIssue[] };

// ---- Source text ---------------------------------------------------------------------------

/**
 * Parses a template's source text. Syntax errors are returned (not thrown) as issues whose
 * message starts with "line L, column C:" (1-based) and whose path is empty.
 */
export function parseTemplateSource(source: string, format: "yaml" | "json"): Result<{ value: unknown }> | Failure {
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > WORKFLOW_LIMITS.sourceBytes)
    return { ok: false, issues: [{ step: null, path: "", message: `the template is ${Math.ceil(bytes / 1024)} KiB; the limit is ${WORKFLOW_LIMITS.sourceBytes / 1024} KiB` }] };
  return format === "json" ? parseJson(source) : parseYaml(source);
}

function syntaxIssue(kind: string, line: number, col: number, message: string): Failure {
  return { ok: false, issues: [{ step: null, path: "", message: `line ${line}, column ${col}: ${kind} syntax error: ${message}` }] };
}

function parseYaml(source: string): Result<{ value: unknown }> | Failure {
  // uniqueKeys: a repeated key is almost always a mistake that would silently drop a step's field.
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends " at line L, column C:" and a snippet; keep only the sentence.
    const sentence = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return syntaxIssue("YAML", pos.line, pos.col, sentence);
  }
  try {
    // A small alias budget stops "billion laughs" documents from expanding.
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { ok: false, issues: [{ step: null, path: "", message: `YAML error: ${(e as Error).message}` }] };
  }
}

function parseJson(source: string): Result<{ value: unknown }> | Failure {
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (e) {
    // V8 reports a position for some errors and not for others; find it ourselves.
    const offset = jsonErrorOffset(source);
    const before = source.slice(0, offset).split("\n");
    const sentence = (e as Error).message.replace(/ in JSON at position \d+.*$/, "").replace(/, .*is not valid JSON$/s, "");
    return syntaxIssue("JSON", before.length, before[before.length - 1].length + 1, sentence);
  }
}

/** Offset of the first JSON syntax error in `s` (s.length when the text ends too early). */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (depth: number): void => {
    if (depth > 1000) fail();
    ws();
    const c = s[i];
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        string();
        ws();
        if (s[i] !== ":") fail();
        i++;
        value(depth + 1);
        ws();
        if (s[i] === ",") i++;
        else if (s[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (s[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (s[i] === ",") i++;
        else if (s[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)/.exec(s.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = () => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] < " ") fail();
      if (s[i] === "\\") {
        if (!/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(s.slice(i + 1, i + 6))) fail();
        i += s[i + 1] === "u" ? 6 : 2;
      } else i++;
    }
    if (i >= s.length) fail();
    i++;
  };
  try {
    value(0);
    ws();
    if (i < s.length) fail();
    return s.length;
  } catch (at) {
    if (typeof at !== "number") throw at;
    return Math.min(at, s.length);
  }
}

// ---- Schema issues -------------------------------------------------------------------------

/** `["steps", 2, "requires", 0]` → `steps[2].requires[0]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

type ZodIssue = z.core.$ZodIssue;

function issueMessage(issue: ZodIssue, input: unknown): string {
  const path = issue.path as PropertyKey[];
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_union": {
      if ("discriminator" in issue && issue.discriminator === "type")
        return `type must be task, check or approval (got ${JSON.stringify(readPath(input, path.map((p) => (typeof p === "symbol" ? "" : p))))})`;
      // A union's own message is "Invalid input"; the first custom message inside says why.
      const custom = issue.errors.flat().find((e) => e.code === "custom");
      return custom ? custom.message : issue.message;
    }
    case "invalid_type": {
      const present = readPath(input, path.map((p) => (typeof p === "symbol" ? "" : p)));
      if (present === undefined && path.length) return `${String(path[path.length - 1])} is required`;
      return issue.message;
    }
    default:
      return issue.message;
  }
}

function stepOfPath(path: readonly PropertyKey[], input: unknown): string | null {
  if (path[0] !== "steps" || typeof path[1] !== "number") return null;
  const id = readPath(input, ["steps", path[1], "id"]);
  return typeof id === "string" ? id : `steps[${path[1]}]`;
}

// ---- Graph checks --------------------------------------------------------------------------

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest name within two edits, for "did you mean" hints. */
function suggest(name: string, candidates: readonly string[]): string {
  let best: string | null = null;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best ? ` (did you mean ${best}?)` : "";
}

/** Strongly connected components (Tarjan), each in discovery order, components in file order of their roots. */
function stronglyConnected(n: number, next: readonly number[][]): number[][] {
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const visit = (v: number) => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    for (const w of next[v]) {
      if (index[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
    }
    if (low[v] === index[v]) {
      const comp: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = false;
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  // Recursion depth is bounded by WORKFLOW_LIMITS.steps (500).
  for (let v = 0; v < n; v++) if (index[v] === -1) visit(v);
  return out;
}

/** Shortest cycle through `start` inside `members`, as node indexes ending back at `start`. */
function shortestCycle(start: number, members: ReadonlySet<number>, next: readonly number[][]): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi];
    for (const w of next[v]) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = parent.get(x)!) path.push(x);
        path.push(start);
        // path is start, v, …, back to start's successor reversed; put it in walking order.
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Every distinct cycle as step indexes in execution order, first element = earliest in the file. */
export function findCycles(steps: readonly { id: string; dependsOn: readonly string[] }[]): number[][] {
  const pos = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!pos.has(s.id)) pos.set(s.id, i);
  });
  // Edges in execution order: a dependency points at its dependents.
  const next: number[][] = steps.map(() => []);
  steps.forEach((s, i) => {
    if (pos.get(s.id) !== i) return;
    for (const d of new Set(s.dependsOn)) {
      const j = pos.get(d);
      if (j !== undefined && j !== i) next[j].push(i);
    }
  });
  for (const list of next) list.sort((a, b) => a - b);
  const cycles: number[][] = [];
  const seen = new Set<string>();
  const comps = stronglyConnected(steps.length, next)
    .filter((c) => c.length > 1)
    .map((c) => [...c].sort((a, b) => a - b))
    .sort((a, b) => a[0] - b[0]);
  for (const comp of comps) {
    const members = new Set(comp);
    const covered = new Set<number>();
    for (const m of comp) {
      if (covered.has(m)) continue;
      const walk = shortestCycle(m, members, next);
      const body = walk.slice(0, -1);
      const first = body.indexOf(Math.min(...body));
      const canonical = [...body.slice(first), ...body.slice(0, first)];
      canonical.forEach((x) => covered.add(x));
      const key = canonical.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      cycles.push([...canonical, canonical[0]]);
    }
  }
  return cycles;
}

const STEP_FIELDS = ["result", "status", "error"];

interface RefContext {
  template: Template;
  ids: ReadonlyMap<string, number>;
  upstream: (stepIndex: number) => ReadonlySet<string>;
  fanOut: ReadonlyMap<string, number | null>;
}

/** What is wrong with a reference to `path` from step `i`, or null when it is fine. */
function checkReference(path: readonly string[], i: number, subject: string, ctx: RefContext): string | null {
  const step = ctx.template.steps[i];
  const [root, name, field] = path;
  switch (root) {
    case "params": {
      const declared = ctx.template.params;
      if (name === undefined) return `${subject} needs a parameter name, e.g. params.branch`;
      const p = declared.find((x) => x.name === name);
      if (!p) {
        const dotted = path.slice(1).join(".");
        if (declared.some((x) => x.name === dotted)) return `${subject}: write params["${dotted}"] to refer to parameter ${dotted}`;
        const names = declared.map((x) => x.name);
        return `${subject} refers to unknown parameter ${name}${suggest(name, names)}; ${names.length ? `declared: ${names.join(", ")}` : "the template declares no parameters"}`;
      }
      if (path.length > 2) return `${subject}: parameter ${name} is a ${p.type} and has no fields`;
      return null;
    }
    case "steps": {
      if (name === undefined) return `${subject} needs a step id, e.g. steps.build.result`;
      let target = name;
      let copy: number | null = null;
      if (!ctx.ids.has(name)) {
        const m = /^(.+)_([0-9]+)$/.exec(name);
        if (m && ctx.fanOut.has(m[1])) [target, copy] = [m[1], Number(m[2])];
        else return `${subject} refers to unknown step ${name}${suggest(name, [...ctx.ids.keys()])}`;
      }
      if (target === step.id) return `${subject}: step ${step.id} cannot read its own result`;
      if (!ctx.upstream(i).has(target))
        return `${subject} refers to step ${target}, which is not upstream of step ${step.id}, so its result is not available yet; add ${target} to dependsOn of ${step.id}`;
      const n = ctx.fanOut.get(target);
      if (copy === null && n !== undefined)
        return `${subject}: step ${target} fans out into copies ${target}_1, ${target}_2, …; refer to one of them, e.g. steps.${target}_1.result`;
      if (copy !== null && (copy < 1 || (typeof n === "number" && copy > n)))
        return `${subject}: step ${target} has copies ${target}_1 … ${target}_${n ?? "N"}; there is no ${name}`;
      if (field !== undefined && !STEP_FIELDS.includes(field)) return `${subject}: a step offers ${STEP_FIELDS.join(", ")}; ${field} is not one of them`;
      return null;
    }
    case "run":
      if (path.length !== 2 || !["id", "template"].includes(name)) return `${subject}: the run offers run.id and run.template`;
      return null;
    case "index":
      if (!ctx.fanOut.has(step.id)) return `${subject} is only available in a fanned-out step (one with parallel)`;
      if (path.length > 1) return `${subject}: index is a number and has no fields`;
      return null;
    default:
      return `${subject}: unknown name ${root}; references start with params., steps., run. or index`;
  }
}

/** Strings of a step that are interpolated when it starts, with their issue paths. */
function interpolatedTexts(s: StepDef, at: string): { text: string; at: string }[] {
  const out: { text: string; at: string }[] = [];
  if (s.title) out.push({ text: s.title, at: `${at}.title` });
  if (s.type === "approval") {
    if (s.description) out.push({ text: s.description, at: `${at}.description` });
    return out;
  }
  if (s.command) out.push({ text: s.command, at: `${at}.command` });
  if (s.payload !== undefined) collectStrings(s.payload, `${at}.payload`, out);
  collectStrings(s.labels, `${at}.labels`, out);
  return out;
}

function graphIssues(t: Template): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ids = new Map<string, number>();
  const add = (step: string | null, path: string, message: string) => issues.push({ step, path, message });

  t.steps.forEach((s, i) => {
    const first = ids.get(s.id);
    if (first === undefined) ids.set(s.id, i);
    else add(s.id, `steps[${i}].id`, `duplicate step id ${s.id}: steps[${first}] and steps[${i}] both use it`);
  });

  t.steps.forEach((s, i) => {
    s.dependsOn.forEach((d, j) => {
      if (d === s.id) add(s.id, `steps[${i}].dependsOn[${j}]`, `step ${s.id} depends on itself`);
      else if (!ids.has(d)) add(s.id, `steps[${i}].dependsOn[${j}]`, `step ${s.id} depends on unknown step ${d}${suggest(d, [...ids.keys()])}`);
    });
  });

  for (const cycle of findCycles(t.steps)) {
    const first = t.steps[cycle[0]];
    const last = t.steps[cycle[cycle.length - 2]];
    add(first.id, `steps[${cycle[0]}].dependsOn[${first.dependsOn.indexOf(last.id)}]`, `cycle: ${cycle.map((k) => t.steps[k].id).join(" → ")}`);
  }

  // Fan-out: counts, their parameters, and copy ids that would clash with real steps.
  const fanOut = new Map<string, number | null>();
  t.steps.forEach((s, i) => {
    if (s.type !== "task" || s.parallel === undefined) return;
    const name = parallelParam(s.parallel);
    fanOut.set(s.id, name === null ? (s.parallel as number) : null);
    if (name !== null) {
      const p = t.params.find((x) => x.name === name);
      if (!p) add(s.id, `steps[${i}].parallel`, `parallel of step ${s.id} names unknown parameter ${name}${suggest(name, t.params.map((x) => x.name))}`);
      else if (p.type !== "number") add(s.id, `steps[${i}].parallel`, `parallel of step ${s.id} names parameter ${name}, which is a ${p.type}; declare it with type: number`);
      else if (p.default !== undefined && !isFanOutCount(p.default))
        add(s.id, `steps[${i}].parallel`, `the default of parameter ${name} (${p.default}) cannot be the fan-out of step ${s.id}: use a whole number from 1 to ${WORKFLOW_LIMITS.fanOut}`);
    }
    const max = fanOut.get(s.id) ?? WORKFLOW_LIMITS.fanOut;
    for (const other of t.steps) {
      const m = new RegExp(`^${s.id}_([0-9]+)$`).exec(other.id);
      if (m && Number(m[1]) >= 1 && Number(m[1]) <= max)
        add(other.id, `steps[${ids.get(other.id)}].id`, `step ${other.id} clashes with a fan-out copy of step ${s.id} (copies are named ${s.id}_1, ${s.id}_2, …); rename it`);
    }
  });

  // Transitive upstream sets, computed on demand; visited-set BFS so cycles cannot loop.
  const upstreamCache = new Map<number, Set<string>>();
  const upstream = (i: number) => {
    let set = upstreamCache.get(i);
    if (set) return set;
    set = new Set<string>();
    const queue = [...t.steps[i].dependsOn];
    while (queue.length) {
      const d = queue.pop()!;
      if (set.has(d) || !ids.has(d)) continue;
      set.add(d);
      queue.push(...t.steps[ids.get(d)!].dependsOn);
    }
    upstreamCache.set(i, set);
    return set;
  };
  const ctx: RefContext = { template: t, ids, upstream, fanOut };

  t.steps.forEach((s, i) => {
    for (const { text, at } of interpolatedTexts(s, `steps[${i}]`)) {
      try {
        for (const ref of findReferences(text)) {
          const problem = checkReference(ref.path, i, ref.raw, ctx);
          if (problem) add(s.id, at, problem);
        }
        if (at.endsWith(".command")) for (const problem of commandReferenceIssues(text)) add(s.id, at, problem);
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        add(s.id, at, e.message);
      }
    }
    if (s.type === "check" && s.expression) {
      try {
        const expr = parseExpression(s.expression);
        for (const path of referencedPaths(expr)) {
          const problem = checkReference(path, i, formatPath(path), ctx);
          if (problem) add(s.id, `steps[${i}].expression`, `expression: ${problem}`);
        }
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        add(s.id, `steps[${i}].expression`, `expression: ${e.message}`);
      }
    }
  });

  return issues;
}

/** Schema, then graph. Returns the parsed template (defaults filled in) or every issue found. */
export function validateTemplate(input: unknown): Result<{ template: Template }> | Failure {
  const parsed = templateSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        step: stepOfPath(issue.path as PropertyKey[], input),
        path: formatIssuePath(issue.path as PropertyKey[]),
        message: issueMessage(issue, input),
      })),
    };
  }
  const issues = graphIssues(parsed.data);
  return issues.length ? { ok: false, issues } : { ok: true, template: parsed.data };
}
