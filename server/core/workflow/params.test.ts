import { describe, expect, test } from "vitest";
import { templateSchema, type TemplateInput } from "@/lib/workflow";
import { resolveParams } from "./params";

const template = (params: TemplateInput["params"], steps: TemplateInput["steps"] = [{ id: "a", command: "true" }]) =>
  templateSchema.parse({ name: "t", params, steps });

const t = template([
  { name: "branch", type: "string", required: true },
  { name: "n", type: "number", default: 2 },
  { name: "dry", type: "boolean", default: false },
  { name: "env", type: "enum", values: ["staging", "production"], default: "staging" },
  { name: "note" },
]);

const messages = (r: ReturnType<typeof resolveParams>) => (r.ok ? [] : r.issues.map((i) => i.message));

describe("resolveParams", () => {
  test("[PARAMS]: fills defaults and leaves optional params without a default absent", () => {
    expect(resolveParams(t, { branch: "main" })).toEqual({ ok: true, values: { branch: "main", n: 2, dry: false, env: "staging" } });
  });

  test("[PARAMS]: given values override defaults; null counts as not given", () => {
    expect(resolveParams(t, { branch: "x", n: 5, dry: true, env: "production", note: "hi" })).toEqual({
      ok: true,
      values: { branch: "x", n: 5, dry: true, env: "production", note: "hi" },
    });
    expect(resolveParams(t, { branch: "x", n: null })).toMatchObject({ ok: true, values: { n: 2 } });
  });

  test("[PARAMS]: a missing required parameter is named", () => {
    expect(messages(resolveParams(t, {}))).toEqual(["parameter branch is required"]);
  });

  test("[PARAMS]: unknown parameters are refused, listing the declared ones", () => {
    const r = resolveParams(t, { branch: "x", brnch: "y" });
    expect(r).toEqual({ ok: false, issues: [{ step: null, path: "params.brnch", message: "unknown parameter brnch: template t takes branch, n, dry, env, note" }] });
    expect(messages(resolveParams(template([]), { x: 1 }))).toEqual(["unknown parameter x: template t takes no parameters"]);
  });

  test("[PARAMS]: CLI strings are coerced for number and boolean parameters", () => {
    expect(resolveParams(t, { branch: "x", n: "3", dry: "true" })).toMatchObject({ ok: true, values: { n: 3, dry: true } });
    expect(resolveParams(t, { branch: "x", n: " -2.5e1 ", dry: "FALSE" })).toMatchObject({ ok: true, values: { n: -25, dry: false } });
  });

  test("[PARAMS]: type mismatches are refused, naming the parameter and the value", () => {
    expect(messages(resolveParams(t, { branch: 3, n: "three", dry: "yes", env: "qa" }))).toEqual([
      "parameter branch must be a string (got 3)",
      'parameter n must be a number (got "three")',
      'parameter dry must be true or false (got "yes")',
      'parameter env must be one of staging, production (got "qa")',
    ]);
    expect(messages(resolveParams(t, { branch: "x", n: "1e999" }))).toEqual(['parameter n must be a number (got "1e999")']);
    expect(messages(resolveParams(t, { branch: "x", n: "" }))).toEqual(['parameter n must be a number (got "")']);
  });

  test("[PARAMS]: a fan-out parameter must be a whole number from 1 to 100", () => {
    const fan = template([{ name: "n", type: "number", default: 2 }], [{ id: "impl", parallel: "{{ params.n }}" }]);
    expect(resolveParams(fan, { n: "4" })).toEqual({ ok: true, values: { n: 4 } });
    for (const bad of [0, 101, 2.5]) {
      expect(messages(resolveParams(fan, { n: bad }))).toEqual([`parameter n sets how many copies of step impl run: it must be a whole number from 1 to 100 (got ${bad})`]);
    }
    const noDefault = template([{ name: "n", type: "number" }], [{ id: "impl", parallel: "{{params.n}}" }]);
    expect(messages(resolveParams(noDefault, {}))).toEqual(["parameter n sets how many copies of step impl run: give it a value"]);
  });
});
