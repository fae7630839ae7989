import { describe, expect, test } from "vitest";
import { openApiDocumentSchema, type OpenApiDocument } from "@/lib/client/openapi-document";
import { openApiDocument } from "@/server/http/openapi";
import { buildReference, commonBasePath, filterGroups, findOperation, inlineCode } from "./api-reference";
import { schemaTree, walkTree } from "./schema-tree";

const ok = (ref: string) => ({ description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const refused = { description: "Refused", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };

const doc: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Test API", version: "1" },
  tags: [{ name: "agent protocol" }, { name: "tasks" }, { name: "unused" }],
  paths: {
    "/api/v1/tasks": {
      get: { operationId: "findTasks", summary: "Tasks, newest first", tags: ["tasks"], parameters: [{ name: "limit", in: "query", schema: { type: "integer", default: 50 } }], responses: { "4XX": refused, "200": ok("Page") } },
      post: { operationId: "submitTasks", summary: "Submit one task", tags: ["tasks"], requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } }, responses: { "201": ok("Page") } },
    },
    "/api/v1/agents/{id}/claim": {
      post: {
        operationId: "claim",
        summary: "Long-poll for work, up to `wait` seconds",
        description: "Operation `agent.claim`. Allowed for agent tokens.",
        tags: ["agent protocol"],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, { name: "x-trace", in: "header", schema: { type: "string" } }],
        responses: { "429": refused, "200": ok("Page"), "4XX": refused },
      },
    },
    "/api/v1/stats": { get: { summary: "Fleet counts", tags: ["fleet"], responses: {} } },
    "/api/v1/me": { get: { operationId: "me", summary: "Who the caller is", responses: {} } },
  },
  components: {
    schemas: {
      Page: { type: "object", properties: { tasks: { type: "array", items: { type: "string" } } } },
      Error: { type: "object", properties: { error: { type: "object", properties: { code: { type: "string", enum: ["BAD_REQUEST", "NOT_FOUND"] }, message: { type: "string" } } } } },
    },
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token." } },
  },
};

describe("API reference", () => {
  test("[API]: operations group by tag in the document's order; undeclared tags follow, untagged last; empty tags are left out", () => {
    const ref = buildReference(doc);
    expect(ref.groups.map((g) => [g.name, g.id, g.operations.map((o) => o.id)])).toEqual([
      ["agent protocol", "tag-agent-protocol", ["claim"]],
      ["tasks", "tag-tasks", ["findTasks", "submitTasks"]],
      ["fleet", "tag-fleet", ["get-api-v1-stats"]],
      ["other", "tag-other", ["me"]],
    ]);
    expect(ref).toMatchObject({ title: "Test API", basePath: "/api/v1", auth: "An API token.", errorCodes: ["BAD_REQUEST", "NOT_FOUND"] });
  });

  test("[API]: an operation reads out its parameters (path and query only), body and answers, success first", () => {
    const claim = findOperation(buildReference(doc).groups, "#claim")!;
    expect(claim).toMatchObject({ method: "POST", path: "/api/v1/agents/{id}/claim", tag: "agent protocol", description: "Operation `agent.claim`. Allowed for agent tokens.", body: null });
    expect(claim.parameters).toEqual([{ name: "id", in: "path", required: true, type: "string", enumValues: undefined, constraints: [], description: undefined }]);
    expect(claim.responses.map((r) => [r.status, r.schemaName, r.success])).toEqual([
      ["200", "Page", true],
      ["429", "Error", false],
      ["4XX", "Error", false],
    ]);
    expect(claim.curl).toContain('"$SWITCHBOARD_SERVER/api/v1/agents/$ID/claim"');
    const submit = findOperation(buildReference(doc).groups, "submitTasks")!;
    expect(submit.body).toEqual({ required: true, contentTypes: ["application/json"], schema: { type: "object" }, description: undefined });
  });

  test("[API]: search keeps operations whose method, path, summary or tag holds every word", () => {
    const { groups } = buildReference(doc);
    const ids = (q: string) => filterGroups(groups, q).flatMap((g) => g.operations.map((o) => o.id));
    expect(ids("")).toHaveLength(5);
    expect(ids("claim")).toEqual(["claim"]);
    expect(ids("TASKS")).toEqual(["findTasks", "submitTasks"]);
    expect(ids("get tasks")).toEqual(["findTasks"]);
    expect(ids("agent protocol")).toEqual(["claim"]);
    expect(ids("newest")).toEqual(["findTasks"]);
    expect(filterGroups(groups, "nothing-like-this")).toEqual([]);
    expect(findOperation(groups, "#nope")).toBeNull();
    expect(findOperation(groups, "")).toBeNull();
  });

  test("[API]: the shared base path stops before parameters and leaves every path a segment", () => {
    expect(commonBasePath(["/api/v1/tasks", "/api/v1/me"])).toBe("/api/v1");
    expect(commonBasePath(["/api/v1/tasks"])).toBe("/api/v1");
    expect(commonBasePath(["/{tenant}/tasks", "/{tenant}/runs"])).toBe("");
    expect(commonBasePath(["/a", "/b"])).toBe("");
    expect(commonBasePath([])).toBe("");
  });

  test("[API]: code spans split out of the document's prose", () => {
    expect(inlineCode("up to `wait` seconds")).toEqual([
      { text: "up to ", code: false },
      { text: "wait", code: true },
      { text: " seconds", code: false },
    ]);
    expect(inlineCode("no code")).toEqual([{ text: "no code", code: false }]);
    expect(inlineCode("a ` b")).toEqual([{ text: "a ` b", code: false }]);
  });

  test("[API]: the server's own document reads whole: every operation grouped, every $ref found, claim answers tasks", () => {
    const served = openApiDocumentSchema.parse(JSON.parse(JSON.stringify(openApiDocument())));
    const ref = buildReference(served);
    // The declared tags first, in the document's order; a tag only an operation names follows.
    expect(ref.groups.map((g) => g.name).slice(0, 8)).toEqual(["agent protocol", "tasks", "fleet", "workflows", "insight", "alerts", "messaging", "identity"]);
    const ops = ref.groups.flatMap((g) => g.operations);
    expect(ops.length).toBe(Object.values(served.paths).flatMap((p) => Object.values(p).filter(Boolean)).length);
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length);
    for (const op of ops) {
      // Who may call it is what the page shows for each operation.
      expect(op.description, op.id).toMatch(/Allowed for /);
      for (const schema of [op.body?.schema, ...op.responses.map((r) => r.schema)]) {
        if (!schema) continue;
        const missing = [...walkTree(schemaTree(schema, ref.schemas))].filter((n) => n.type.includes("(not in the document)"));
        expect(missing.map((n) => `${op.id} ${n.key}`)).toEqual([]);
      }
    }
    const claim = findOperation(ref.groups, "claim")!;
    expect(claim).toMatchObject({ method: "POST", path: "/api/v1/agents/{id}/claim" });
    const answer = schemaTree(claim.responses[0].schema!, ref.schemas);
    expect(answer.children.find((c) => c.name === "tasks")?.children.map((c) => c.name)).toContain("attempt");
    expect(ref.errorCodes).toContain("BAD_REQUEST");
    expect(findOperation(ref.groups, "saveTemplate")!.curl).toContain("application/yaml");
  });
});
