// The trigger form's fields, generated from a template's parameters and checked the way the
// server checks them (lib/workflow.ts paramValueOk), so mistakes show next to the field before a
// round trip. The server still validates and names the parameter it refuses.
import { paramValueOk, type ParamDef } from "@/lib/workflow";
import { type ParamValues } from "@/lib/api";

/** Text for string, number and enum fields; a boolean for checkboxes. */
export type ParamDraft = Record<string, string | boolean>;
export type ParamErrors = Record<string, string>;

export function initialParamDraft(params: readonly ParamDef[]): ParamDraft {
  const d: ParamDraft = {};
  for (const p of params) {
    if (p.type === "boolean") d[p.name] = p.default === true;
    else if (p.default !== undefined) d[p.name] = String(p.default);
    else d[p.name] = p.type === "enum" && p.required ? (p.values?.[0] ?? "") : "";
  }
  return d;
}

/**
 * The values to start a run with, or what is wrong per parameter. Empty optional fields are left
 * out, so the server applies the template's default.
 */
export function buildParamValues(params: readonly ParamDef[], draft: ParamDraft): { values: ParamValues; errors?: undefined } | { values?: undefined; errors: ParamErrors } {
  const values: ParamValues = {};
  const errors: ParamErrors = {};
  for (const p of params) {
    const raw = draft[p.name];
    if (p.type === "boolean") {
      values[p.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      if (p.required) errors[p.name] = `${p.name} is required.`;
      continue;
    }
    if (p.type === "number") {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) errors[p.name] = `${p.name} must be a number.`;
      else values[p.name] = n;
    } else if (p.type === "enum") {
      if (!paramValueOk(p, text)) errors[p.name] = `${p.name} must be one of ${(p.values ?? []).join(", ")}.`;
      else values[p.name] = text;
    } else {
      if (text.length > 10_000) errors[p.name] = `${p.name} is at most 10,000 characters.`;
      else values[p.name] = text;
    }
  }
  return Object.keys(errors).length ? { errors } : { values };
}

/** The parameter a server message names, so its field can be marked too. */
export function paramNamedIn(message: string, params: readonly ParamDef[]): string | null {
  // Longest names first, so "min_coverage" wins over "min".
  const names = params.map((p) => p.name).sort((a, b) => b.length - a.length);
  for (const n of names) {
    const re = new RegExp(`(^|[^A-Za-z0-9_.:-])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_-])`);
    if (re.test(message)) return n;
  }
  return null;
}
