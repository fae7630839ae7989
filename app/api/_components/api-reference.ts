// The OpenAPI document as the /api page shows it: operations grouped by tag (in the document's tag
// order), each with its parameters, body and answers read out and its curl example made, and a
// search over method, path, summary and tag. Pure: the page renders this, the tests check it.
import { HTTP_METHODS, type JsonSchema, type OpenApiDocument } from "@/lib/client/openapi-document";
import { curlExample } from "./curl-example";
import { schemaTree, walkTree } from "./schema-tree";

export interface ParameterView {
  name: string;
  in: string;
  required: boolean;
  type: string;
  enumValues?: string[];
  constraints: string[];
  description?: string;
}

export interface BodyView {
  required: boolean;
  /** Every content type it may be sent as, JSON first. */
  contentTypes: string[];
  /** The JSON body's schema (or the first type's). */
  schema: JsonSchema | null;
  description?: string;
}

export interface ResponseView {
  status: string;
  description: string;
  schema: JsonSchema | null;
  /** The component the answer is, when it is one (`ClaimResponse`, `Error`). */
  schemaName: string | null;
  success: boolean;
}

export interface OperationView {
  /** The anchor (`/api#claim`): the operationId, or method and path when there is none. */
  id: string;
  method: string;
  path: string;
  summary: string;
  /** Who may call it, and the operation's name, as the server writes it. */
  description: string | null;
  tag: string;
  deprecated: boolean;
  parameters: ParameterView[];
  body: BodyView | null;
  responses: ResponseView[];
  curl: string;
}

export interface TagGroup {
  name: string;
  /** `tag-agent-protocol`: the section's anchor. */
  id: string;
  description?: string;
  operations: OperationView[];
}

export interface ApiReference {
  title: string;
  version: string;
  description?: string;
  groups: TagGroup[];
  schemas: Record<string, JsonSchema>;
  /** The bearer scheme's description, when the document has one. */
  auth?: string;
  /** The leading path every operation shares (`/api/v1`), "" when they share none. */
  basePath: string;
  /** The values an error answer's `code` takes, when the document lists them. */
  errorCodes: string[];
}

const UNTAGGED = "other";

export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "x";

const refOf = (s: JsonSchema | undefined): string | null => (typeof s?.$ref === "string" ? (s.$ref.split("/").pop() ?? null) : null);

/** Success first, then the rest in status order (`4XX` after `404`, `default` last). */
function statusOrder(a: string, b: string): number {
  const rank = (s: string) => (s === "default" ? 1000 : Number(s.replace(/X/gi, "9")) || 999);
  return rank(a) - rank(b);
}

/** The leading segments every path shares, stopping before the first parameter. */
export function commonBasePath(paths: readonly string[]): string {
  if (paths.length === 0) return "";
  const split = paths.map((p) => p.split("/").filter(Boolean));
  const shared: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0][i];
    // Keep at least one segment of every path of its own.
    if (seg === undefined || seg.startsWith("{") || split.some((s) => s[i] !== seg || s.length <= i + 1)) break;
    shared.push(seg);
  }
  return shared.length ? `/${shared.join("/")}` : "";
}

/** `code`'s enum in the first error answer's schema. */
function errorCodesOf(ops: readonly OperationView[], schemas: Record<string, JsonSchema>): string[] {
  const error = ops.flatMap((op) => op.responses).find((r) => !r.success && r.schema);
  if (!error?.schema) return [];
  for (const n of walkTree(schemaTree(error.schema, schemas))) if (n.name === "code" && n.enumValues) return n.enumValues.map((v) => v.replace(/^"|"$/g, ""));
  return [];
}

export function buildReference(doc: OpenApiDocument): ApiReference {
  const schemas = doc.components?.schemas ?? {};
  const declared = (doc.tags ?? []).map((t) => t.name);
  const descriptions = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  const byTag = new Map<string, OperationView[]>(declared.map((t) => [t, []]));
  const ids = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      let id = op.operationId ? op.operationId.replace(/[^A-Za-z0-9_.-]/g, "-") : slug(`${method} ${path}`);
      while (ids.has(id)) id = `${id}-2`;
      ids.add(id);

      // Headers and cookies are the client's business (the token is in the intro).
      const raw = (op.parameters ?? []).filter((p) => p.in === "path" || p.in === "query");
      const parameters: ParameterView[] = raw.map((p) => {
        const t = schemaTree(p.schema ?? {}, schemas, p.name);
        return { name: p.name, in: p.in, required: p.required ?? p.in === "path", type: t.type, enumValues: t.enumValues, constraints: t.constraints, description: p.description ?? t.description };
      });

      let body: BodyView | null = null;
      if (op.requestBody) {
        const types = Object.keys(op.requestBody.content).sort((a, b) => Number(!/json/i.test(a)) - Number(!/json/i.test(b)));
        const main = types[0];
        body = { required: op.requestBody.required ?? false, contentTypes: types, schema: main ? (op.requestBody.content[main].schema ?? null) : null, description: op.requestBody.description };
      }

      const responses: ResponseView[] = Object.entries(op.responses ?? {})
        .map(([status, r]) => {
          const media = r.content?.["application/json"] ?? Object.values(r.content ?? {})[0];
          const schema = media?.schema ?? null;
          return { status, description: r.description ?? "", schema, schemaName: refOf(schema ?? undefined), success: /^2/.test(status) };
        })
        .sort((a, b) => Number(b.success) - Number(a.success) || statusOrder(a.status, b.status));

      const bodyTypes = op.requestBody ? Object.fromEntries(Object.entries(op.requestBody.content).map(([t, m]) => [t, m.schema])) : undefined;
      const view: OperationView = {
        id,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? "",
        description: op.description ?? null,
        tag: op.tags?.[0] ?? UNTAGGED,
        deprecated: op.deprecated ?? false,
        parameters,
        body,
        responses,
        curl: curlExample({ method, path, parameters: raw.map((p) => ({ ...p, required: p.required ?? p.in === "path" })), body: bodyTypes }, schemas),
      };
      if (!byTag.has(view.tag)) byTag.set(view.tag, []);
      byTag.get(view.tag)!.push(view);
    }
  }

  const bearer = Object.values(doc.components?.securitySchemes ?? {}).find((s) => s.type === "http" && s.scheme?.toLowerCase() === "bearer");
  const all = [...byTag.values()].flat();
  return {
    basePath: commonBasePath(all.map((op) => op.path)),
    errorCodes: errorCodesOf(all, schemas),
    title: doc.info.title,
    version: doc.info.version,
    description: doc.info.description,
    auth: bearer?.description,
    schemas,
    groups: [...byTag]
      .filter(([, ops]) => ops.length > 0)
      .map(([name, operations]) => ({ name, id: `tag-${slug(name)}`, description: descriptions.get(name), operations })),
  };
}

/**
 * The groups with only the operations every word of `query` appears in (method, path, summary,
 * tag or id, any case); groups left empty are dropped. An empty query keeps everything.
 */
export function filterGroups(groups: readonly TagGroup[], query: string): TagGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...groups];
  return groups
    .map((g) => ({
      ...g,
      operations: g.operations.filter((op) => {
        const text = `${op.method} ${op.path} ${op.summary} ${op.tag} ${op.id}`.toLowerCase();
        return words.every((w) => text.includes(w));
      }),
    }))
    .filter((g) => g.operations.length > 0);
}

/** The operation an anchor names (`#claim`, with or without the hash), if there is one. */
export function findOperation(groups: readonly TagGroup[], hash: string): OperationView | null {
  const id = decodeURIComponent(hash.replace(/^#/, ""));
  if (!id) return null;
  for (const g of groups) for (const op of g.operations) if (op.id === id) return op;
  return null;
}

/** Text with `code` spans, as the document writes them, split for rendering. */
export function inlineCode(text: string): { text: string; code: boolean }[] {
  return text
    .split(/(`[^`]+`)/)
    .filter(Boolean)
    .map((part) => (part.length > 2 && part.startsWith("`") && part.endsWith("`") ? { text: part.slice(1, -1), code: true } : { text: part, code: false }));
}
