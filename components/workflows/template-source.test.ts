import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { templateSchema } from "@/lib/workflow";
import { detectFormat, EXAMPLE_TEMPLATE, issueLocation, lineCount } from "./template-source";

describe("[template editor]: source", () => {
  it("tells JSON from YAML", () => {
    expect(detectFormat('  {"name": "x"}')).toBe("json");
    expect(detectFormat("name: x")).toBe("yaml");
    expect(detectFormat("")).toBe("yaml");
  });

  it("counts lines", () => {
    expect(lineCount("")).toBe(1);
    expect(lineCount("a\nb\n")).toBe(3);
  });

  it("says where an issue is", () => {
    expect(issueLocation({ step: "build", path: "steps.0.dependsOn", message: "x" })).toBe("step build · steps.0.dependsOn");
    expect(issueLocation({ step: null, path: "", message: "x" })).toBe("template");
  });

  it("starts new templates from an example that passes the schema", () => {
    expect(templateSchema.safeParse(parse(EXAMPLE_TEMPLATE)).success).toBe(true);
  });
});
