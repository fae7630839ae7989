import { describe, expect, it } from "vitest";
import type { ParamDef } from "@/lib/workflow";
import { buildParamValues, initialParamDraft, paramNamedIn } from "./param-form";

const params: ParamDef[] = [
  { name: "version", type: "string", required: true },
  { name: "slices", type: "number", required: false, default: 3 },
  { name: "environment", type: "enum", required: false, values: ["staging", "production"], default: "staging" },
  { name: "flaky_qa", type: "boolean", required: false, default: false },
  { name: "note", type: "string", required: false },
];

describe("[trigger form]: parameters", () => {
  it("prefills defaults", () => {
    expect(initialParamDraft(params)).toEqual({ version: "", slices: "3", environment: "staging", flaky_qa: false, note: "" });
  });

  it("builds typed values and leaves out empty optional fields", () => {
    const r = buildParamValues(params, { version: "1.4.0", slices: " 5 ", environment: "production", flaky_qa: true, note: "" });
    expect(r.values).toEqual({ version: "1.4.0", slices: 5, environment: "production", flaky_qa: true });
  });

  it("names each field that is wrong", () => {
    const r = buildParamValues(params, { version: " ", slices: "many", environment: "moon", flaky_qa: false, note: "" });
    expect(r.errors).toEqual({ version: "version is required.", slices: "slices must be a number.", environment: "environment must be one of staging, production." });
  });

  it("finds the parameter a server message names", () => {
    expect(paramNamedIn('Parameter slices must be a number, got "x".', params)).toBe("slices");
    expect(paramNamedIn("Missing required parameter version.", params)).toBe("version");
    expect(paramNamedIn("Something else broke.", params)).toBeNull();
  });
});
