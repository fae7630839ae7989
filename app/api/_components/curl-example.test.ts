import { describe, expect, test } from "vitest";
import type { JsonSchema } from "@/lib/client/openapi-document";
import { curlExample, exampleValue, shellVariable } from "./curl-example";

const components: Record<string, JsonSchema> = {
  Scope: { type: "string", enum: ["agent", "submit", "read", "admin"] },
  Report: {
    type: "object",
    properties: {
      attempt: { type: "integer", minimum: 1, maximum: 9007199254740991 },
      error: { type: "string", maxLength: 32000 },
      retryable: { default: true, type: "boolean" },
      note: { type: "string" },
    },
    required: ["attempt", "error"],
  },
  Loop: { type: "object", properties: { next: { $ref: "#/components/schemas/Loop" } }, required: ["next"] },
};

describe("curl example", () => {
  test("[API]: a GET with path variables and the query's defaults; the server and token are variables", () => {
    const curl = curlExample(
      {
        method: "get",
        path: "/api/v1/agents/{id}/inbox",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "after", in: "query", required: false, schema: { type: "integer", default: 0 } },
          { name: "cursor", in: "query", required: false, schema: { type: "string" } },
          { name: "since", in: "query", required: true, schema: { type: "string" } },
        ],
      },
      components,
    );
    expect(curl).toBe('curl "$SWITCHBOARD_SERVER/api/v1/agents/$ID/inbox?after=0&since=$SINCE" \\\n  -H "Authorization: Bearer $T"');
  });

  test("[API]: a POST sends the smallest body its schema accepts, in single quotes", () => {
    const curl = curlExample({ method: "post", path: "/api/v1/tasks/{id}/fail", parameters: [{ name: "id", in: "path", required: true }], body: { "application/json": { $ref: "#/components/schemas/Report" } } }, components);
    expect(curl.split(" \\\n  ")).toEqual([
      'curl -X POST "$SWITCHBOARD_SERVER/api/v1/tasks/$ID/fail"',
      '-H "Authorization: Bearer $T"',
      '-H "Content-Type: application/json"',
      `-d '{"attempt":1,"error":"error"}'`,
    ]);
    // A bodyless POST and a DELETE.
    expect(curlExample({ method: "delete", path: "/api/v1/tokens/{id}", parameters: [] }, components)).toBe('curl -X DELETE "$SWITCHBOARD_SERVER/api/v1/tokens/$ID" \\\n  -H "Authorization: Bearer $T"');
  });

  test("[API]: an operation that takes YAML is shown sending a file of it", () => {
    const curl = curlExample({ method: "post", path: "/api/v1/workflows", parameters: [], body: { "application/json": { type: "object" }, "application/yaml": { type: "string" } } }, components);
    expect(curl).toContain('-H "Content-Type: application/yaml"');
    expect(curl).toContain("--data-binary @template.yaml");
    expect(curl).not.toContain("-d '");
  });

  test("[API]: example values: defaults, consts, first enum value, first non-null variant, strings long enough", () => {
    expect(exampleValue({ type: "object", properties: { scope: { $ref: "#/components/schemas/Scope" }, name: { type: "string" } }, required: ["scope", "name"] }, components)).toEqual({ scope: "agent", name: "name" });
    expect(exampleValue({ anyOf: [{ type: "null" }, { type: "object", properties: { agent: { type: "string" } }, required: ["agent"] }] }, components)).toEqual({ agent: "agent" });
    expect(exampleValue({ type: "object", properties: { ok: { const: true } }, required: ["ok"] }, components)).toEqual({ ok: true });
    expect(exampleValue({ type: "string", minLength: 8 }, components, "id")).toBe("idxxxxxx");
    expect(exampleValue({ type: "array", minItems: 1, items: { type: "integer", minimum: 5 } }, components)).toEqual([5]);
    expect(exampleValue({ type: "number", minimum: -1000 }, components)).toBe(1);
    // A required field that refers to itself ends in null instead of looping.
    expect(exampleValue({ $ref: "#/components/schemas/Loop" }, components)).toEqual({ next: null });
  });

  test("[API]: the JSON is quoted for the shell, and parameters become shell variables", () => {
    const curl = curlExample({ method: "post", path: "/api/v1/messages", parameters: [], body: { "application/json": { type: "object", properties: { body: { const: "it's" } }, required: ["body"] } } }, components);
    expect(curl).toContain(`-d '{"body":"it'\\''s"}'`);
    expect(shellVariable("agentId")).toBe("AGENT_ID");
    expect(shellVariable("step")).toBe("STEP");
    expect(shellVariable("t")).toBe("T_PARAM");
    expect(shellVariable("2fa-code")).toBe("_2FA_CODE");
    expect(curlExample({ method: "get", path: "/x/{id}abc", parameters: [] }, components)).toContain("/x/${ID}abc");
  });
});
