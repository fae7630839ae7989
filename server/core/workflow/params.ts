// Parameters of a run: what the operator gave (CLI strings or JSON values) checked against
// the template's declarations. Every problem is reported at once, each naming the parameter.
//
// Rules: unknown names are refused (a typo must not silently run with the default); a
// missing value takes the default, else is an error when required, else stays absent (a
// reference to it then fails when the step starts). null counts as not given. Number and
// boolean parameters accept the strings a CLI passes ("3", "2.5", "true", "false"); nothing
// else is coerced, so a number given for a string parameter is an error.
import { WORKFLOW_LIMITS, paramValueOk, type ParamDef, type Template } from "@/lib/workflow";
import { type ParamValues, type ValidationIssue } from "@/lib/api";
import { parallelParam } from "./fan-out";

const NUMBER_TEXT = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

function coerce(p: ParamDef, v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  if (p.type === "number" && NUMBER_TEXT.test(s)) return Number(s);
  if (p.type === "boolean" && /^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
  return v;
}

function describeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function expectation(p: ParamDef): string {
  switch (p.type) {
    case "enum":
      return `one of ${(p.values ?? []).join(", ")}`;
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
  }
}

/** A string parameter's declared `maxLength` and `pattern` (the whole value must match). */
export function stringShapeProblem(p: Pick<ParamDef, "maxLength" | "pattern">, v: string): string | null {
  if (p.maxLength !== undefined && v.length > p.maxLength) return `must be at most ${p.maxLength} characters`;
  if (p.pattern !== undefined && !anchored(p.pattern).test(v)) return `must match ${p.pattern}`;
  return null;
}

/** `pattern` must match the whole value, as HTML's pattern attribute does. */
export function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, "u");
}

export function resolveParams(
  template: Template,
  given: Record<string, unknown>,
): { ok: true; values: ParamValues } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const declared = new Map(template.params.map((p) => [p.name, p]));
  const values: ParamValues = {};

  for (const name of Object.keys(given)) {
    if (declared.has(name)) continue;
    const known = template.params.map((p) => p.name);
    issues.push({
      step: null,
      path: `params.${name}`,
      message: `unknown parameter ${name}: template ${template.name} ${known.length ? `takes ${known.join(", ")}` : "takes no parameters"}`,
    });
  }

  for (const p of template.params) {
    const raw = Object.prototype.hasOwnProperty.call(given, p.name) ? given[p.name] : undefined;
    if (raw === undefined || raw === null) {
      if (p.default !== undefined) values[p.name] = p.default;
      else if (p.required) issues.push({ step: null, path: `params.${p.name}`, message: `parameter ${p.name} is required${p.description ? ` (${p.description})` : ""}` });
      continue;
    }
    const v = coerce(p, raw);
    if (!paramValueOk(p, v)) {
      issues.push({ step: null, path: `params.${p.name}`, message: `parameter ${p.name} must be ${expectation(p)} (got ${describeValue(raw)})` });
      continue;
    }
    const shape = typeof v === "string" ? stringShapeProblem(p, v) : null;
    if (shape) {
      issues.push({ step: null, path: `params.${p.name}`, message: `parameter ${p.name} ${shape} (got ${describeValue(raw)})` });
      continue;
    }
    values[p.name] = v as string | number | boolean;
  }

  // A fan-out count is checked here, with the parameter's name, rather than when the run
  // expands: the operator can fix it before anything starts.
  for (const s of template.steps) {
    const name = s.type === "task" ? parallelParam(s.parallel) : null;
    if (name === null || !(name in values)) continue;
    const n = values[name];
    if (typeof n === "number" && (!Number.isInteger(n) || n < 1 || n > WORKFLOW_LIMITS.fanOut))
      issues.push({
        step: s.id,
        path: `params.${name}`,
        message: `parameter ${name} sets how many copies of step ${s.id} run: it must be a whole number from 1 to ${WORKFLOW_LIMITS.fanOut} (got ${n})`,
      });
  }
  // A fan-out parameter without a value cannot expand.
  for (const s of template.steps) {
    const name = s.type === "task" ? parallelParam(s.parallel) : null;
    if (name !== null && declared.has(name) && !(name in values) && !issues.some((i) => i.path === `params.${name}`))
      issues.push({ step: s.id, path: `params.${name}`, message: `parameter ${name} sets how many copies of step ${s.id} run: give it a value` });
  }

  return issues.length ? { ok: false, issues } : { ok: true, values };
}
