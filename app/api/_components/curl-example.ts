// The example `curl` command of an operation, to paste into a shell: the server and the token are
// the variables $SWITCHBOARD_SERVER and $T, path parameters are variables named after them ($ID,
// $STEP), and a request body is the smallest one the schema accepts (its required fields, with
// defaults, enum values and placeholder strings). Pure.
import type { JsonSchema } from "@/lib/client/openapi-document";
import { resolveRef } from "./schema-tree";

export const SERVER_VARIABLE = "SWITCHBOARD_SERVER";
export const TOKEN_VARIABLE = "T";

export interface CurlInput {
  method: string;
  /** As the document writes it: /api/v1/agents/{id}/claim. */
  path: string;
  parameters: readonly { name: string; in: string; required: boolean; schema?: JsonSchema }[];
  /** Content type → schema; absent when the operation takes no body. */
  body?: Record<string, JsonSchema | undefined>;
}

/** `agentId` → `AGENT_ID`: the shell variable a path parameter is written as. */
export function shellVariable(name: string): string {
  const v = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .toUpperCase();
  const safe = /^[0-9]/.test(v) ? `_${v}` : v;
  // $T and $SWITCHBOARD_SERVER are taken.
  return safe === TOKEN_VARIABLE || safe === SERVER_VARIABLE ? `${safe}_PARAM` : safe;
}

const MAX_DEPTH = 6;
/** The one operation that takes YAML saves a workflow template. */
const YAML_FILE = "template.yaml";

/**
 * The smallest value `schema` accepts, as far as a placeholder can: `default`, `const`, the first
 * enum value, the first variant of a union, an object's required fields only, an empty array
 * unless items are required, a string that is the field's own name.
 */
export function exampleValue(schema: JsonSchema, components: Record<string, JsonSchema>, name = "value", open: readonly string[] = [], depth = 0): unknown {
  const r = resolveRef(schema, components, open);
  if (r.recursive || depth > MAX_DEPTH) return null;
  const s = r.schema;
  if ("const" in s) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  const variants = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  if (variants) {
    const first = variants.find((v) => !(typeof v === "object" && v !== null && (v as JsonSchema).type === "null"));
    return first === undefined ? null : exampleValue(first as JsonSchema, components, name, r.open, depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((p) => exampleValue(p as JsonSchema, components, name, r.open, depth + 1)).filter((v) => typeof v === "object" && v !== null));
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  const bound = (k: "minimum" | "exclusiveMinimum") => (typeof s[k] === "number" && Math.abs(s[k] as number) < Number.MAX_SAFE_INTEGER ? (s[k] as number) : undefined);
  switch (type) {
    case "string": {
      if (s.format === "date-time") return "2025-01-01T00:00:00Z";
      if (s.format === "date") return "2025-01-01";
      if (s.format === "email") return "someone@example.com";
      if (s.format === "uri" || s.format === "url") return "https://example.com";
      const min = typeof s.minLength === "number" ? s.minLength : 0;
      return name.length >= min ? name : name.padEnd(min, "x");
    }
    case "integer":
    case "number": {
      const min = bound("minimum");
      const xmin = bound("exclusiveMinimum");
      return min !== undefined ? Math.max(min, Math.min(1, typeof s.maximum === "number" ? s.maximum : 1)) : xmin !== undefined ? xmin + 1 : 1;
    }
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      if (min === 0) return [];
      const item = exampleValue((s.items as JsonSchema | undefined) ?? {}, components, name, r.open, depth + 1);
      return Array.from({ length: min }, () => item);
    }
    default: {
      if (type !== "object" && typeof s.properties !== "object") return type === undefined ? {} : null;
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(props)) if (required.has(k)) out[k] = exampleValue(p, components, k, r.open, depth + 1);
      return out;
    }
  }
}

/** Single quotes for the shell: nothing inside them expands. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The query value to show: the parameter's default, else a variable for a required one. */
function queryValue(p: CurlInput["parameters"][number]): string | null {
  const d = p.schema?.default;
  if (d !== undefined && d !== null && typeof d !== "object") return encodeURIComponent(String(d));
  return p.required ? `$${shellVariable(p.name)}` : null;
}

/**
 * The command, one option a line (continued with `\`). JSON bodies go in single quotes; an
 * operation that also takes YAML is shown sending a file of it, the way templates are written.
 */
export function curlExample(op: CurlInput, components: Record<string, JsonSchema>): string {
  const path = op.path.replace(/\{([^}]+)\}(\w?)/g, (_m, name: string, next: string) => {
    const v = shellVariable(name);
    return next ? `\${${v}}${next}` : `$${v}`;
  });
  const query = op.parameters
    .filter((p) => p.in === "query")
    .map((p) => [p.name, queryValue(p)] as const)
    .filter((q): q is readonly [string, string] => q[1] !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
    .join("&");
  const method = op.method.toUpperCase();
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "$${SERVER_VARIABLE}${path}${query ? `?${query}` : ""}"`, `-H "Authorization: Bearer $${TOKEN_VARIABLE}"`];
  const types = Object.keys(op.body ?? {});
  const yaml = types.find((t) => /yaml/i.test(t));
  const jsonType = types.find((t) => /json/i.test(t));
  if (yaml) {
    lines.push(`-H "Content-Type: ${yaml}"`, `--data-binary @${YAML_FILE}`);
  } else if (jsonType) {
    const schema = op.body![jsonType];
    lines.push(`-H "Content-Type: ${jsonType}"`, `-d ${shellQuote(JSON.stringify(schema ? exampleValue(schema, components) : {}))}`);
  }
  return lines.join(" \\\n  ");
}
