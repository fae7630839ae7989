// The REST API's OpenAPI 3.1 document, generated from lib/api/rest.ts and the schemas it names
// (zod 4's own JSON Schema output, draft 2020-12, which OpenAPI 3.1 uses). Served at
// GET /api/v1/openapi.json; a user in any language can generate a client from it.
//
// Named schemas (`.meta({ id })`) become components, twice: as answers (`Task`) and as requests
// (`TaskInput`, where defaults make fields optional). Anonymous bodies and answers of a route get
// a component named after the route.
import { z } from "zod";
import { errorBodySchema, restApi, type RestRoute } from "@/lib/api/rest";
import { REST_OPERATIONS, REST_RULES } from "@/lib/policy";

const PERMISSION_TEXT: Record<string, string> = {
  read: "any identified caller (users with any role; tokens of any scope)",
  create: "operators and admins; tokens with scope submit or admin, or an agent token made with canSubmit",
  operate: "operators and admins; tokens with scope submit or admin",
  admin: "admins; tokens with scope admin",
  agent: "agent tokens, for their own agents and the tasks those hold",
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type Json = Record<string, unknown>;
let cached: Json | null = null;

/** Gives every route schema a component name (once per process; the registry is global). */
function nameRouteSchemas() {
  for (const [name, r] of Object.entries(restApi) as [string, RestRoute][]) {
    for (const [schema, suffix] of [
      [r.produces ? undefined : r.response, "Response"],
      [r.body, "Request"],
    ] as const) {
      if (schema && !z.globalRegistry.get(schema)?.id) z.globalRegistry.add(schema, { id: `${pascal(name)}${suffix}` });
    }
  }
}

function components(io: "input" | "output", suffix: string): Record<string, Json> {
  const out = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}${suffix}` });
  const schemas: Record<string, Json> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as Json;
    schemas[`${id}${suffix}`] = rest;
  }
  return schemas;
}

/** Path and query parameters: each property of the schema, inlined (no components). */
function parameters(schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", metadata: z.registry() }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (js.required ?? []).includes(name),
    ...(s.description ? { description: s.description } : {}),
    schema: s,
  }));
}

const ref = (schema: z.ZodType, suffix = "") => ({ $ref: `#/components/schemas/${z.globalRegistry.get(schema)!.id}${suffix}` });

export function openApiDocument(): Json {
  if (cached) return cached;
  nameRouteSchemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const [name, r] of Object.entries(restApi) as [string, RestRoute][]) {
    const template = `${r.method} ${r.path}`;
    const permission = REST_RULES[template];
    const oaPath = `/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`;
    const op: Json = {
      operationId: name,
      summary: r.summary,
      tags: [r.tag],
      description: `Operation \`${REST_OPERATIONS[template]}\`. Allowed for ${PERMISSION_TEXT[permission] ?? permission}.`,
      parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
      responses: {
        [String(r.status)]: r.produces
          ? { description: "OK", content: { [r.produces]: { schema: r.produces === "application/pdf" ? { type: "string", format: "binary" } : { type: "string" } } } }
          : { description: "OK", content: { "application/json": { schema: ref(r.response) } } },
        "4XX": { description: "The request was refused: the error's code and one sentence naming the field or the reason.", content: { "application/json": { schema: ref(errorBodySchema) } } },
        "429": { description: "Too many requests; retry after the Retry-After header's seconds.", content: { "application/json": { schema: ref(errorBodySchema) } } },
      },
    };
    if (r.body) {
      op.requestBody = {
        required: true,
        content: {
          "application/json": { schema: ref(r.body, "Input") },
          ...(r.yamlBody ? { "application/yaml": { schema: { type: "string", description: "The template source itself, as YAML." } } } : {}),
        },
      };
    }
    (paths[oaPath] ??= {})[r.method.toLowerCase()] = op;
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version: "1",
      description:
        "The REST API of Switchboard, a control plane for fleets of agents: agents register, long-poll for work and report on their attempts; people and scripts submit tasks, run workflows and read the fleet. Every call authenticates with `Authorization: Bearer <token>` (or a dashboard session). Every report carries the task's `attempt`, its fencing token.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags: ["agent protocol", "tasks", "fleet", "workflows", "insight", "alerts", "messaging", "identity"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (`sb_…`), made on the Tokens page, by `switchboard token create`, or from a password at POST /api/auth/token." } },
      schemas: { ...components("output", ""), ...components("input", "Input") },
    },
  };
  return cached;
}
