import { describe, expect, test } from "vitest";
import type { TemplateInput } from "@/lib/workflow";
import type { ValidationIssue } from "@/lib/api";
import { findCycles, formatIssuePath, jsonErrorOffset, parseTemplateSource, validateTemplate } from "./validate";

type Steps = TemplateInput["steps"];
const check = (steps: Steps | unknown[], params: TemplateInput["params"] = []) => validateTemplate({ name: "t", params, steps });
const issues = (steps: Steps | unknown[], params: TemplateInput["params"] = []): ValidationIssue[] => {
  const r = check(steps, params);
  return r.ok ? [] : r.issues;
};
const messages = (steps: Steps | unknown[], params: TemplateInput["params"] = []) => issues(steps, params).map((i) => i.message);

describe("validateTemplate: schema", () => {
  test("[VALIDATE]: a valid template comes back with defaults filled in", () => {
    const r = check([{ id: "build", command: "make" }]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.template).toMatchObject({ failurePolicy: "fail-fast", concurrency: 10, steps: [{ id: "build", type: "task", dependsOn: [], requires: [] }] });
  });

  test("[VALIDATE]: schema issues name the step and a readable path", () => {
    expect(issues([{ id: "a" }, { id: "b" }, { id: "pkg", requires: ["ts:9"] }])).toEqual([
      { step: "pkg", path: "steps[2].requires[0]", message: 'invalid capability "ts:9": expected name or name:level with level 1..5' },
    ]);
    expect(issues([{ id: "Build" }])).toEqual([
      { step: "Build", path: "steps[0].id", message: "use lower-case letters, digits and _, starting with a letter (e.g. build, run_tests)" },
    ]);
  });

  test("[VALIDATE]: unknown fields, unknown step types and missing fields read plainly", () => {
    expect(issues([{ id: "a", comand: "x" }])).toEqual([{ step: "a", path: "steps[0]", message: 'unknown field "comand"' }]);
    expect(issues([{ id: "a", type: "gate" }])).toEqual([{ step: "a", path: "steps[0].type", message: 'type must be task, check or approval (got "gate")' }]);
    expect(issues([{ command: "x" }])).toEqual([{ step: "steps[0]", path: "steps[0].id", message: "id is required" }]);
    expect(validateTemplate({ steps: [{ id: "a" }] })).toEqual({ ok: false, issues: [{ step: null, path: "name", message: "name is required" }] });
    expect(messages([{ id: "c", type: "check" }])).toEqual(['check step c needs exactly one of "expression" or "command"']);
  });

  test("[VALIDATE]: formatIssuePath writes indexes in brackets", () => {
    expect(formatIssuePath(["steps", 2, "requires", 0])).toBe("steps[2].requires[0]");
    expect(formatIssuePath([])).toBe("");
  });
});

describe("validateTemplate: graph", () => {
  test("[VALIDATE]: duplicate step ids are reported on the second one", () => {
    expect(issues([{ id: "build" }, { id: "test" }, { id: "build" }])).toEqual([
      { step: "build", path: "steps[2].id", message: "duplicate step id build: steps[0] and steps[2] both use it" },
    ]);
  });

  test("[VALIDATE]: a dependency on an unknown step names both, with a suggestion when close", () => {
    expect(issues([{ id: "build" }, { id: "test", dependsOn: ["biuld"] }])).toEqual([
      { step: "test", path: "steps[1].dependsOn[0]", message: "step test depends on unknown step biuld (did you mean build?)" },
    ]);
    expect(messages([{ id: "build" }, { id: "test", dependsOn: ["deploy"] }])).toEqual(["step test depends on unknown step deploy"]);
  });

  test("[VALIDATE]: a step depending on itself is reported once, not as a cycle", () => {
    expect(issues([{ id: "a", dependsOn: ["a"] }])).toEqual([{ step: "a", path: "steps[0].dependsOn[0]", message: "step a depends on itself" }]);
  });

  test("[VALIDATE]: a cycle is reported once, in dependency order, from its earliest step", () => {
    expect(
      issues([
        { id: "build", dependsOn: ["package"] },
        { id: "test", dependsOn: ["build"] },
        { id: "package", dependsOn: ["test"] },
        { id: "ok" },
      ]),
    ).toEqual([{ step: "build", path: "steps[0].dependsOn[0]", message: "cycle: build → test → package → build" }]);
  });

  test("[VALIDATE]: separate and overlapping cycles are each reported once", () => {
    expect(
      messages([
        { id: "a", dependsOn: ["b", "c"] },
        { id: "b", dependsOn: ["a"] },
        { id: "c", dependsOn: ["a"] },
        { id: "x", dependsOn: ["y"] },
        { id: "y", dependsOn: ["x"] },
      ]),
    ).toEqual(["cycle: a → b → a", "cycle: a → c → a", "cycle: x → y → x"]);
  });

  test("[VALIDATE]: findCycles covers every step of a dense component, deterministically", () => {
    const steps = [
      { id: "a", dependsOn: ["d"] },
      { id: "b", dependsOn: ["a"] },
      { id: "c", dependsOn: ["b"] },
      { id: "d", dependsOn: ["c", "b"] },
    ];
    const cycles = findCycles(steps).map((c) => c.map((i) => steps[i].id).join(" → "));
    expect(cycles).toEqual(["a → b → d → a", "a → b → c → d → a"]);
    expect(findCycles([...steps].reverse()).length).toBe(2);
  });
});

describe("validateTemplate: references", () => {
  const params: TemplateInput["params"] = [
    { name: "branch", type: "string" },
    { name: "n", type: "number", default: 2 },
  ];

  test("[VALIDATE]: params references must name a declared parameter", () => {
    expect(issues([{ id: "a", command: "git checkout {{ params.brnch }}" }], params)).toEqual([
      { step: "a", path: "steps[0].command", message: "{{ params.brnch }} refers to unknown parameter brnch (did you mean branch?); declared: branch, n" },
    ]);
    expect(messages([{ id: "a", title: "{{params.x}}" }])).toEqual(["{{params.x}} refers to unknown parameter x; the template declares no parameters"]);
    expect(messages([{ id: "a", title: "{{ params.branch.name }}" }], params)).toEqual(["{{ params.branch.name }}: parameter branch is a string and has no fields"]);
    expect(issues([{ id: "a" }], [{ name: "a.b", type: "string" }])).toEqual([
      { step: null, path: "params[0].name", message: "use letters, digits and _, starting with a letter or _" },
    ]);
  });

  test("[VALIDATE]: a step may read only results of steps upstream of it", () => {
    const steps: Steps = [
      { id: "build" },
      { id: "test", dependsOn: ["build"] },
      { id: "deploy", dependsOn: ["test"], command: "deploy {{ steps.build.result.artifact }} after {{ steps.test.status }}" },
      { id: "docs", command: "echo {{ steps.deploy.result }}" },
    ];
    expect(issues(steps)).toEqual([
      {
        step: "docs",
        path: "steps[3].command",
        message: "{{ steps.deploy.result }} refers to step deploy, which is not upstream of step docs, so its result is not available yet; add deploy to dependsOn of docs",
      },
    ]);
  });

  test("[VALIDATE]: step references check the step, its field and self-reference", () => {
    expect(messages([{ id: "build" }, { id: "t", dependsOn: ["build"], title: "{{ steps.biuld.result }}" }])).toEqual([
      "{{ steps.biuld.result }} refers to unknown step biuld (did you mean build?)",
    ]);
    expect(messages([{ id: "build" }, { id: "t", dependsOn: ["build"], title: "{{ steps.build.output }}" }])).toEqual([
      "{{ steps.build.output }}: a step offers result, status, error; output is not one of them",
    ]);
    expect(messages([{ id: "t", title: "{{ steps.t.status }}" }])).toEqual(["{{ steps.t.status }}: step t cannot read its own result"]);
  });

  test("[VALIDATE]: payload and label strings are checked with their paths", () => {
    expect(issues([{ id: "a", payload: { files: ["{{ params.nope }}"] }, labels: { region: "{{ run.region }}" } }])).toEqual([
      { step: "a", path: "steps[0].payload.files[0]", message: "{{ params.nope }} refers to unknown parameter nope; the template declares no parameters" },
      { step: "a", path: "steps[0].labels.region", message: "{{ run.region }}: the run offers run.id and run.template" },
    ]);
    expect(messages([{ id: "a", payload: "{{ 1 + 1 }}" }])).toEqual(["{{ 1 + 1 }} is not a reference: write a path such as {{ params.name }} or {{ steps.build.result.field }}"]);
    expect(messages([{ id: "a", title: "{{ foo.bar }}" }])).toEqual(["{{ foo.bar }}: unknown name foo; references start with params., steps., run. or index"]);
  });

  test("[VALIDATE]: index is only available in fanned-out steps", () => {
    expect(messages([{ id: "a", command: "echo {{ index }}" }])).toEqual(["{{ index }} is only available in a fanned-out step (one with parallel)"]);
    expect(check([{ id: "a", parallel: 2, command: "echo {{ index }}" }]).ok).toBe(true);
    expect(messages([{ id: "r", type: "approval", description: "approve {{ index }}" }])).toEqual(["{{ index }} is only available in a fanned-out step (one with parallel)"]);
  });

  test("[VALIDATE]: a fanned-out step is read through one of its copies", () => {
    const steps = (ref: string): Steps => [{ id: "impl", parallel: 3 }, { id: "merge", dependsOn: ["impl"], command: `echo ${ref}` }];
    expect(messages(steps("{{ steps.impl.result }}"))).toEqual([
      "{{ steps.impl.result }}: step impl fans out into copies impl_1, impl_2, …; refer to one of them, e.g. steps.impl_1.result",
    ]);
    expect(check(steps("{{ steps.impl_3.result }}")).ok).toBe(true);
    expect(messages(steps("{{ steps.impl_4.result }}"))).toEqual(["{{ steps.impl_4.result }}: step impl has copies impl_1 … impl_3; there is no impl_4"]);
  });

  test("[VALIDATE]: check expressions must parse and follow the same reference rules", () => {
    expect(issues([{ id: "gate", type: "check", expression: "steps.a.x >= )" }])).toEqual([
      { step: "gate", path: "steps[0].expression", message: "expression: unexpected ')' at 14, expected a value" },
    ]);
    expect(
      messages([{ id: "test" }, { id: "gate", type: "check", dependsOn: ["test"], expression: "steps.test.result.coverage >= params.min && steps.lint.result.ok" }]),
    ).toEqual([
      "expression: params.min refers to unknown parameter min; the template declares no parameters",
      "expression: steps.lint.result.ok refers to unknown step lint",
    ]);
    expect(messages([{ id: "gate", type: "check", expression: "index == 1" }])).toEqual(["expression: index is only available in a fanned-out step (one with parallel)"]);
  });
});

describe("validateTemplate: fan-out", () => {
  test("[VALIDATE]: parallel must name a declared number parameter with a usable default", () => {
    expect(issues([{ id: "impl", parallel: "{{params.n}}" }])).toEqual([{ step: "impl", path: "steps[0].parallel", message: "parallel of step impl names unknown parameter n" }]);
    expect(messages([{ id: "impl", parallel: "{{ params.n }}" }], [{ name: "n", type: "string" }])).toEqual([
      "parallel of step impl names parameter n, which is a string; declare it with type: number",
    ]);
    expect(messages([{ id: "impl", parallel: "{{params.n}}" }], [{ name: "n", type: "number", default: 0 }])).toEqual([
      "the default of parameter n (0) cannot be the fan-out of step impl: use a whole number from 1 to 100",
    ]);
    expect(check([{ id: "impl", parallel: "{{params.n}}" }], [{ name: "n", type: "number", default: 4 }]).ok).toBe(true);
  });

  test("[VALIDATE]: a step id that a fan-out copy would take is refused", () => {
    expect(issues([{ id: "impl", parallel: 2 }, { id: "impl_2" }, { id: "impl_3" }])).toEqual([
      { step: "impl_2", path: "steps[1].id", message: "step impl_2 clashes with a fan-out copy of step impl (copies are named impl_1, impl_2, …); rename it" },
    ]);
  });
});

describe("parseTemplateSource", () => {
  test("[VALIDATE]: YAML and JSON parse to plain values", () => {
    expect(parseTemplateSource("name: t\nsteps:\n  - id: a\n    command: echo hi\n", "yaml")).toEqual({ ok: true, value: { name: "t", steps: [{ id: "a", command: "echo hi" }] } });
    expect(parseTemplateSource('{"name": "t"}', "json")).toEqual({ ok: true, value: { name: "t" } });
  });

  test("[VALIDATE]: a YAML syntax error gives line and column", () => {
    expect(parseTemplateSource("name: t\nsteps:\n  - id: a\n    command: echo '{\"x\": 1}' > f\n", "yaml")).toEqual({
      ok: false,
      issues: [{ step: null, path: "", message: "line 4, column 14: YAML syntax error: Nested mappings are not allowed in compact mappings" }],
    });
    expect(parseTemplateSource("name: t\nname: u\n", "yaml")).toEqual({ ok: false, issues: [{ step: null, path: "", message: "line 2, column 1: YAML syntax error: Map keys must be unique" }] });
  });

  test("[VALIDATE]: YAML alias bombs are refused", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    const r = parseTemplateSource(bomb, "yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/^YAML error: .*alias/i);
  });

  test("[VALIDATE]: a JSON syntax error gives line and column", () => {
    expect(parseTemplateSource('{\n  "name": "t",\n  "steps": }', "json")).toEqual({
      ok: false,
      issues: [{ step: null, path: "", message: "line 3, column 12: JSON syntax error: Unexpected token '}'" }],
    });
    expect(parseTemplateSource('{\n "a": 1\n "b": 2}', "json")).toEqual({
      ok: false,
      issues: [{ step: null, path: "", message: "line 3, column 2: JSON syntax error: Expected ',' or '}' after property value" }],
    });
    expect(parseTemplateSource("", "json")).toEqual({ ok: false, issues: [{ step: null, path: "", message: "line 1, column 1: JSON syntax error: Unexpected end of JSON input" }] });
  });

  test("[VALIDATE]: jsonErrorOffset agrees with JSON.parse on what is valid", () => {
    for (const ok of ['{"a": [1, -2.5e3, true, null, "x\\u0041\\n"]}', " [] ", '"s"']) expect(jsonErrorOffset(ok)).toBe(ok.length);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset("[1,]")).toBe(3);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset("[1] x")).toBe(4);
  });

  test("[VALIDATE]: an over-large source is refused before parsing", () => {
    expect(parseTemplateSource("#".repeat(600 * 1024), "yaml")).toEqual({ ok: false, issues: [{ step: null, path: "", message: "the template is 600 KiB; the limit is 512 KiB" }] });
  });
});
