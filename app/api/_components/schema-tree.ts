// A JSON Schema (2020-12, as the OpenAPI document's components hold them) as a tree a person can
// read: one node per property with its type, enum values, required and nullable markers, limits
// and description. `$ref`s into the components are followed; a reference already open above a
// node is not expanded again (a recursive schema would otherwise never end), the node says so.
// Pure: the page renders the nodes, the tests check them.
import type { JsonSchema } from "@/lib/client/openapi-document";

export interface SchemaNode {
  /** Unique within its tree (the path of names), for React keys and test ids. */
  key: string;
  /** The property's name; null for a root, an array's items or a variant. */
  name: string | null;
  /** What a variant of a union is, when `name` is null: "option 1 · object with title". */
  label?: string;
  /** As read: "string", "integer", "Task", "array of Assignment", "map of string", "one of 3". */
  type: string;
  /** The component it was read from, when a `$ref` led here. */
  ref?: string;
  /** Allowed values (`enum`, or `const` as one), as JSON: `"queued"`, `1`, `true`. */
  enumValues?: string[];
  required: boolean;
  nullable: boolean;
  description?: string;
  /** Limits and defaults, short: "1–64 chars", "≥ 0", "default 25", "pattern ^[a-z]+$". */
  constraints: string[];
  /** Properties of an object (of an array's items, of a map's values), or a union's variants. */
  children: SchemaNode[];
  /** A `$ref` already open above: shown, not expanded again. */
  recursive?: boolean;
}

const REF_PREFIX = "#/components/schemas/";
/** zod writes every integer's bounds as ±2^53−1: not a limit anyone needs to read. */
const SAFE = Number.MAX_SAFE_INTEGER;

const isObject = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);
const asSchema = (v: unknown): JsonSchema => (isObject(v) ? v : v === false ? { not: {} } : {});
const json = (v: unknown) => JSON.stringify(v) ?? String(v);
const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export const refName = (ref: string) => (ref.startsWith(REF_PREFIX) ? decodeURIComponent(ref.slice(REF_PREFIX.length)) : ref);

interface Resolved {
  schema: JsonSchema;
  ref?: string;
  /** The refs open on the way here, this one included. */
  open: readonly string[];
  recursive: boolean;
  missing: boolean;
}

/**
 * Follows `$ref`s (a chain of them too). Keywords beside a `$ref` apply as well in 2020-12; the
 * document puts `default` and `description` there, so they are laid over the target.
 */
export function resolveRef(schema: JsonSchema, components: Record<string, JsonSchema>, open: readonly string[] = []): Resolved {
  let s = schema;
  let ref: string | undefined;
  let path = open;
  while (typeof s.$ref === "string") {
    const name = refName(s.$ref);
    const { $ref: _ref, ...beside } = s;
    ref = name;
    if (path.includes(name)) return { schema: beside, ref, open: path, recursive: true, missing: false };
    const target = components[name];
    if (!target) return { schema: beside, ref, open: path, recursive: false, missing: true };
    path = [...path, name];
    s = { ...target, ...beside };
  }
  return { schema: s, ref, open: path, recursive: false, missing: false };
}

const isNullSchema = (s: unknown) => isObject(s) && (s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null"));

function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  const num = (k: string) => (typeof s[k] === "number" && Math.abs(s[k] as number) < SAFE ? (s[k] as number) : undefined);
  const min = num("minimum");
  const max = num("maximum");
  const xmin = num("exclusiveMinimum");
  const xmax = num("exclusiveMaximum");
  if (min !== undefined && max !== undefined) out.push(`${min}–${max}`);
  else if (min !== undefined) out.push(`≥ ${min}`);
  else if (max !== undefined) out.push(`≤ ${max}`);
  if (xmin !== undefined) out.push(`> ${xmin}`);
  if (xmax !== undefined) out.push(`< ${xmax}`);
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    const of = (n: number) => (n === 1 ? unit.slice(0, -1) : unit);
    if (lo !== undefined && hi !== undefined) out.push(lo === hi ? `exactly ${lo} ${of(lo)}` : `${lo}–${hi} ${unit}`);
    else if (hi !== undefined) out.push(`≤ ${hi} ${of(hi)}`);
    else if (lo !== undefined && lo > 0) out.push(`≥ ${lo} ${of(lo)}`);
  };
  range(num("minLength"), num("maxLength"), "chars");
  range(num("minItems"), num("maxItems"), "items");
  if (s.uniqueItems === true) out.push("unique");
  if (typeof s.format === "string") out.push(`format ${s.format}`);
  if (typeof s.pattern === "string") out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${clip(json(s.default))}`);
  if (s.deprecated === true) out.push("deprecated");
  if (s.readOnly === true) out.push("read-only");
  if (s.writeOnly === true) out.push("write-only");
  return out;
}

interface At {
  key: string;
  name: string | null;
  required: boolean;
  open: readonly string[];
}

/** What a variant of a union is: its component, its discriminator (`type = "task"`), its first fields. */
function variantLabel(v: SchemaNode, i: number): string {
  const discriminator = v.children.find((c) => c.required && c.enumValues?.length === 1);
  const names = v.children.map((c) => c.name);
  const what = v.ref
    ? v.ref
    : discriminator
      ? `${discriminator.name} = ${discriminator.enumValues![0]}`
      : v.type === "object" && names.length > 0
        ? `{ ${names.slice(0, 2).join(", ")}${names.length > 2 ? ", …" : ""} }`
        : null;
  // A plain type needs no second name: the row shows it.
  return what ? `option ${i + 1} · ${what}` : `option ${i + 1}`;
}

/** "string or object" while that is short and tells the variants apart; "one of 4" otherwise. */
function unionType(variants: SchemaNode[]): string {
  const types = variants.map((v) => (v.ref && !v.enumValues ? v.ref : v.type));
  const distinct = new Set(types);
  return distinct.size === types.length && types.length <= 3 ? types.join(" or ") : `one of ${types.length}`;
}

function build(input: JsonSchema, components: Record<string, JsonSchema>, at: At): SchemaNode {
  const r = resolveRef(input, components, at.open);
  const base = { key: at.key, name: at.name, required: at.required, ref: r.ref };
  if (r.recursive) return { ...base, type: r.ref!, nullable: false, constraints: [], children: [], recursive: true, description: str(r.schema.description) };
  let s = r.schema;
  let nullable = false;

  // Nullable forms: `type: [X, "null"]` and `anyOf: [X, {type: "null"}]`.
  if (Array.isArray(s.type) && s.type.includes("null")) {
    nullable = true;
    const rest = s.type.filter((t) => t !== "null");
    s = { ...s, type: rest.length === 1 ? rest[0] : rest };
  }
  const unionKey = Array.isArray(s.anyOf) ? "anyOf" : Array.isArray(s.oneOf) ? "oneOf" : null;
  let variants = unionKey ? (s[unionKey] as unknown[]).map(asSchema) : [];
  if (unionKey && variants.some(isNullSchema)) {
    nullable = true;
    variants = variants.filter((v) => !isNullSchema(v));
  }
  if (unionKey && variants.length === 1) {
    // One thing or null: the thing, with the annotations written beside the union.
    const { [unionKey]: _union, ...beside } = s;
    const inner = build({ ...variants[0], ...beside }, components, { ...at, open: r.open });
    const description = inner.description ?? str(beside.description);
    return { ...inner, ref: inner.ref ?? r.ref, nullable: true, description };
  }

  const node: SchemaNode = { ...base, type: "any", nullable, constraints: constraintsOf(s), children: [], description: str(s.description) };
  if (r.missing) node.type = `${r.ref} (not in the document)`;

  if (unionKey && variants.length > 1) {
    const children = variants.map((v, i) => build(v, components, { key: `${at.key}|${i + 1}`, name: null, required: false, open: r.open }));
    children.forEach((c, i) => (c.label = variantLabel(c, i)));
    return { ...node, type: unionType(children), children };
  }
  if (Array.isArray(s.allOf)) {
    // Every part applies: their properties side by side.
    const parts = s.allOf.map((p) => resolveRef(asSchema(p), components, r.open).schema);
    const merged: JsonSchema = { type: "object", properties: {}, required: [] };
    for (const p of parts) {
      Object.assign(merged.properties as JsonSchema, isObject(p.properties) ? p.properties : {});
      (merged.required as unknown[]).push(...(Array.isArray(p.required) ? p.required : []));
    }
    const { allOf: _allOf, ...beside } = s;
    s = { ...merged, ...beside, properties: { ...(merged.properties as JsonSchema), ...(isObject(beside.properties) ? beside.properties : {}) } };
  }

  if ("const" in s) {
    node.enumValues = [json(s.const)];
    node.type = typeof s.type === "string" ? s.type : s.const === null ? "null" : typeof s.const;
  } else if (Array.isArray(s.enum)) {
    node.enumValues = s.enum.map(json);
    node.type = typeof s.type === "string" ? s.type : "enum";
  } else if (s.type === "array" || "items" in s) {
    const item = build(asSchema(s.items), components, { key: `${at.key}[]`, name: null, required: false, open: r.open });
    node.type = `array of ${item.ref && !item.enumValues ? item.ref : item.type}${item.nullable ? " or null" : ""}`;
    node.children = item.children;
    node.enumValues = item.enumValues;
    node.constraints = [...node.constraints, ...item.constraints.map((c) => `each ${c}`)];
    if (!node.description && item.description) node.description = item.description;
    if (item.recursive) node.recursive = true;
  } else if (s.type === "object" || isObject(s.properties) || isObject(s.additionalProperties)) {
    const props = isObject(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    node.type = "object";
    node.children = Object.entries(props).map(([name, p]) => build(asSchema(p), components, { key: `${at.key}.${name}`, name, required: required.has(name), open: r.open }));
    if (isObject(s.additionalProperties)) {
      const value = build(s.additionalProperties, components, { key: `${at.key}.*`, name: "<key>", required: false, open: r.open });
      const keys = isObject(s.propertyNames) ? constraintsOf(s.propertyNames).map((c) => `keys ${c}`) : [];
      if (node.children.length === 0) {
        // A map: its values' fields are its children.
        node.type = `map of ${value.ref && !value.enumValues ? value.ref : value.type}${value.nullable ? " or null" : ""}`;
        node.children = value.children;
        node.enumValues = value.enumValues;
        node.constraints = [...node.constraints, ...keys, ...value.constraints.map((c) => `each ${c}`)];
      } else {
        node.children.push({ ...value, constraints: [...keys, ...value.constraints] });
      }
    }
    if (r.ref) node.type = r.ref;
  } else if (typeof s.type === "string") {
    node.type = s.type;
  } else if (Array.isArray(s.type) && s.type.length > 0) {
    node.type = s.type.join(" or ");
  }
  if (r.ref && node.enumValues && node.type !== r.ref) node.type = `${node.type} (${r.ref})`;
  return node;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

/** The tree of `schema`; `name` names the root (a parameter), which is otherwise nameless. */
export function schemaTree(schema: JsonSchema, components: Record<string, JsonSchema>, name: string | null = null): SchemaNode {
  return build(schema, components, { key: name ?? "$", name, required: false, open: [] });
}

/** The nodes of a tree, depth first (for counting, tests and search). */
export function* walkTree(node: SchemaNode): Generator<SchemaNode> {
  yield node;
  for (const c of node.children) yield* walkTree(c);
}
