import { describe, expect, test } from "vitest";
import type { JsonSchema } from "@/lib/client/openapi-document";
import { resolveRef, schemaTree, walkTree, type SchemaNode } from "./schema-tree";

const ref = (name: string, beside: JsonSchema = {}) => ({ $ref: `#/components/schemas/${name}`, ...beside });

const components: Record<string, JsonSchema> = {
  TaskStatus: { type: "string", enum: ["queued", "running", "succeeded"] },
  Assignment: {
    type: "object",
    properties: {
      taskId: { type: "string", minLength: 1, maxLength: 64 },
      attempt: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991, description: "the fencing token" },
      status: ref("TaskStatus"),
      command: { type: ["string", "null"] },
      submittedBy: { default: null, anyOf: [{ type: "object", properties: { kind: { type: "string", enum: ["user", "token"] } }, required: ["kind"] }, { type: "null" }] },
      strategy: { anyOf: [ref("TaskStatus"), { type: "null" }] },
      payload: {},
    },
    required: ["taskId", "attempt", "status", "command", "submittedBy"],
  },
  ClaimResponse: { type: "object", properties: { tasks: { type: "array", items: ref("Assignment"), maxItems: 100 } }, required: ["tasks"] },
  // Recursive: a tree of nodes, and two schemas that name each other.
  Node: { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: ref("Node") } }, required: ["name"] },
  Ping: { type: "object", properties: { pong: ref("Pong") } },
  Pong: { type: "object", properties: { ping: ref("Ping") } },
};

const child = (n: SchemaNode, ...names: string[]) => names.reduce((at, name) => at.children.find((c) => c.name === name) ?? expect.fail(`no ${name} under ${at.key}`), n);

describe("schema tree", () => {
  test("[API]: follows $refs into the components and names them; required, nullable and enums read as written", () => {
    const root = schemaTree(ref("ClaimResponse"), components);
    expect(root.type).toBe("ClaimResponse");
    const tasks = child(root, "tasks");
    expect(tasks).toMatchObject({ type: "array of Assignment", required: true, nullable: false, constraints: ["≤ 100 items"] });
    expect(tasks.children.map((c) => c.name)).toEqual(["taskId", "attempt", "status", "command", "submittedBy", "strategy", "payload"]);
    expect(child(tasks, "taskId")).toMatchObject({ type: "string", required: true, constraints: ["1–64 chars"] });
    // zod's ±2^53−1 integer bounds are not limits anyone needs to read.
    expect(child(tasks, "attempt")).toMatchObject({ type: "integer", constraints: [], description: "the fencing token" });
    expect(child(tasks, "status")).toMatchObject({ type: "string (TaskStatus)", ref: "TaskStatus", enumValues: ['"queued"', '"running"', '"succeeded"'] });
    expect(child(tasks, "command")).toMatchObject({ type: "string", nullable: true, required: true });
    expect(child(tasks, "submittedBy")).toMatchObject({ type: "object", nullable: true, constraints: ["default null"] });
    expect(child(tasks, "submittedBy", "kind")).toMatchObject({ required: true, enumValues: ['"user"', '"token"'] });
    expect(child(tasks, "strategy")).toMatchObject({ nullable: true, required: false, ref: "TaskStatus" });
    expect(child(tasks, "payload").type).toBe("any");
  });

  test("[API]: a recursive schema ends: a $ref already open above is marked, not expanded again", () => {
    const node = schemaTree(ref("Node"), components);
    const children = child(node, "children");
    expect(children).toMatchObject({ type: "array of Node", recursive: true, children: [] });
    const ping = schemaTree(ref("Ping"), components);
    expect(child(ping, "pong", "ping")).toMatchObject({ recursive: true, type: "Ping", children: [] });
    expect([...walkTree(ping)].length).toBe(3);
  });

  test("[API]: keywords beside a $ref apply over its target", () => {
    const r = resolveRef(ref("TaskStatus", { default: "queued", description: "where it is" }), components);
    expect(r.schema).toMatchObject({ type: "string", default: "queued", description: "where it is" });
    const node = schemaTree({ type: "object", properties: { stream: ref("TaskStatus", { default: "queued" }) } }, components);
    expect(child(node, "stream").constraints).toEqual(["default \"queued\""]);
    expect(schemaTree(ref("Missing"), components).type).toBe("Missing (not in the document)");
  });

  test("[API]: unions list their options, told apart by component, discriminator or first fields", () => {
    const union = schemaTree(
      {
        anyOf: [
          { type: "object", properties: { title: { type: "string" }, command: { type: "string" }, labels: { type: "object" } }, required: ["title"] },
          { type: "object", properties: { tasks: { type: "array", items: { type: "string" } } }, required: ["tasks"] },
          ref("Node"),
          { type: "object", properties: { type: { const: "approval" }, timeoutMs: { type: "integer", minimum: 1000 } }, required: ["type"] },
        ],
      },
      components,
    );
    expect(union.type).toBe("one of 4");
    expect(union.children.map((c) => c.label)).toEqual(["option 1 · { title, command, … }", "option 2 · { tasks }", "option 3 · Node", 'option 4 · type = "approval"']);
    const small = schemaTree({ anyOf: [{ type: "integer", minimum: 1, maximum: 100 }, { type: "string", pattern: "^\\{\\{.*\\}\\}$" }] }, components);
    expect(small.type).toBe("integer or string");
    expect(small.children.map((c) => [c.label, c.type, c.constraints])).toEqual([
      ["option 1", "integer", ["1–100"]],
      ["option 2", "string", ["pattern ^\\{\\{.*\\}\\}$"]],
    ]);
  });

  test("[API]: maps, consts and limits read short", () => {
    const labels = schemaTree({ type: "object", default: {}, propertyNames: { type: "string", minLength: 1, maxLength: 64 }, additionalProperties: { type: "string", maxLength: 200 } }, components);
    expect(labels).toMatchObject({ type: "map of string", constraints: ["default {}", "keys 1–64 chars", "each ≤ 200 chars"] });
    const tasksByStatus = schemaTree({ type: "object", additionalProperties: ref("Assignment") }, components);
    expect(tasksByStatus.type).toBe("map of Assignment");
    expect(tasksByStatus.children.map((c) => c.name)).toContain("taskId");
    expect(schemaTree({ type: "boolean", const: true }, components)).toMatchObject({ type: "boolean", enumValues: ["true"] });
    expect(schemaTree({ type: "number", exclusiveMinimum: 0, maximum: 1 }, components).constraints).toEqual(["≤ 1", "> 0"]);
    expect(schemaTree({ type: "array", items: { type: "string", maxLength: 48 }, minItems: 1, maxItems: 1 }, components).constraints).toEqual(["exactly 1 item", "each ≤ 48 chars"]);
    expect(schemaTree({ type: ["string", "number"] }, components).type).toBe("string or number");
  });
});
