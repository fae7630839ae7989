import { describe, expect, test } from "vitest";
import { InterpolationError, collectStrings, findReferences, interpolate, interpolateKnown } from "./interpolate";

const scope = {
  params: { branch: "main", n: 3, dry: false, "max-retries": 2 },
  steps: {
    plan: { status: "succeeded", result: { branch: "feature/x", slices: 3, files: ["a.ts", "b.ts"], meta: { by: "bot" }, none: null, "a b": 1 }, error: null },
  },
  run: { id: "run_1", template: "feature-pipeline" },
  index: 2,
};

describe("findReferences", () => {
  test("[INTERP]: finds references with or without inner whitespace", () => {
    expect(findReferences("deploy {{params.branch}} as {{ run.id }} #{{  index  }}")).toEqual([
      { path: ["params", "branch"], raw: "{{params.branch}}", filter: null },
      { path: ["run", "id"], raw: "{{ run.id }}", filter: null },
      { path: ["index"], raw: "{{  index  }}", filter: null },
    ]);
  });

  test("[INTERP]: `| raw` is a filter on the path, not part of it", () => {
    expect(findReferences("{{ params.cmd | raw }}")).toEqual([{ path: ["params", "cmd"], raw: "{{ params.cmd | raw }}", filter: "raw" }]);
  });

  test("[INTERP]: interpolateKnown fills in what is known and keeps the rest as written", () => {
    expect(interpolateKnown("Merge {{steps.plan.result.branch}} ({{params.n}})", { params: { n: 2 } })).toBe("Merge {{steps.plan.result.branch}} (2)");
    expect(interpolateKnown("Test shard {{index}}", { index: 1 })).toBe("Test shard 1");
  });

  test("[INTERP]: supports quoted keys, indexes and dashed names", () => {
    expect(findReferences(`{{ steps.plan.result["a b"][0] }} {{ params.max-retries }} {{ steps.plan.result['x'] }}`).map((r) => r.path)).toEqual([
      ["steps", "plan", "result", "a b", "0"],
      ["params", "max-retries"],
      ["steps", "plan", "result", "x"],
    ]);
  });

  test("[INTERP]: text without references has none; single braces are text", () => {
    expect(findReferences("awk '{print $1}' && echo ${HOME}")).toEqual([]);
  });

  test("[INTERP]: a {{ }} that is not a path is an error naming it", () => {
    expect(() => findReferences("x {{ 1 + 2 }} y")).toThrow(new InterpolationError("{{ 1 + 2 }} is not a reference: write a path such as {{ params.name }} or {{ steps.build.result.field }}", "{{ 1 + 2 }}"));
    expect(() => findReferences("{{}}")).toThrow(InterpolationError);
    expect(() => findReferences("{{ a..b }}")).toThrow(InterpolationError);
    expect(() => findReferences("{{ a[b] }}")).toThrow(InterpolationError);
  });
});

describe("interpolate", () => {
  test("[INTERP]: a string that is exactly one reference keeps the value's type", () => {
    expect(interpolate("{{ params.n }}", scope)).toBe(3);
    expect(interpolate("{{params.dry}}", scope)).toBe(false);
    expect(interpolate("{{ steps.plan.result.meta }}", scope)).toEqual({ by: "bot" });
    expect(interpolate("{{ steps.plan.result.files }}", scope)).toEqual(["a.ts", "b.ts"]);
    expect(interpolate("{{ steps.plan.result.none }}", scope)).toBeNull();
    expect(interpolate("{{ index }}", scope)).toBe(2);
  });

  test("[INTERP]: inside text, values are stringified (objects as JSON)", () => {
    expect(interpolate("slices={{ params.n }} dry={{ params.dry }}", scope)).toBe("slices=3 dry=false");
    expect(interpolate("meta: {{ steps.plan.result.meta }}", scope)).toBe('meta: {"by":"bot"}');
    expect(interpolate("files {{steps.plan.result.files}}", scope)).toBe('files ["a.ts","b.ts"]');
    expect(interpolate("none={{ steps.plan.result.none }}", scope)).toBe("none=null");
    // Whitespace around one reference makes it text.
    expect(interpolate(" {{ params.n }}", scope)).toBe(" 3");
    expect(interpolate("{{ params.n }}{{ params.n }}", scope)).toBe("33");
  });

  test("[INTERP]: walks arrays and objects, copying them, leaving other values alone", () => {
    const payload = { branch: "{{ params.branch }}", count: "{{ params.n }}", list: ["{{ index }}", 7, null, { deep: "on {{ run.id }}" }], flag: true };
    const out = interpolate(payload, scope);
    expect(out).toEqual({ branch: "main", count: 3, list: [2, 7, null, { deep: "on run_1" }], flag: true });
    expect(payload.branch).toBe("{{ params.branch }}");
    expect(interpolate(42, scope)).toBe(42);
    expect(interpolate(undefined, scope)).toBeUndefined();
  });

  test("[INTERP]: a missing reference throws, naming it", () => {
    expect(() => interpolate("deploy {{ steps.build.result.sha }}", scope)).toThrow(
      new InterpolationError("{{ steps.build.result.sha }} has no value: steps.build.result.sha is missing", "{{ steps.build.result.sha }}"),
    );
    expect(() => interpolate({ a: ["{{ params.nope }}"] }, scope)).toThrow("{{ params.nope }} has no value");
    expect(() => interpolate("{{ index }}", { params: {} })).toThrow("{{ index }} has no value");
  });

  test("[INTERP]: values brought in are not scanned again", () => {
    const s = { params: { evil: "{{ run.id }}" }, run: { id: "secret" } };
    expect(interpolate("x {{ params.evil }}", s)).toBe("x {{ run.id }}");
  });

  test("[INTERP]: prototype paths are missing and payload keys stay plain keys", () => {
    expect(() => interpolate("{{ params.constructor }}", scope)).toThrow(InterpolationError);
    expect(() => interpolate("{{ params.__proto__ }}", scope)).toThrow(InterpolationError);
    const payload = JSON.parse('{"__proto__": {"polluted": "{{ params.branch }}"}}');
    const out = interpolate(payload, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

test("[INTERP]: collectStrings lists nested strings with readable paths", () => {
  expect(collectStrings({ a: "x", b: [1, "y"], "c d": { e: "z" } }, "payload")).toEqual([
    { text: "x", at: "payload.a" },
    { text: "y", at: "payload.b[1]" },
    { text: "z", at: 'payload["c d"].e' },
  ]);
});

test("[INTERP]: hostile text is scanned in linear time", () => {
  const text = "{{".repeat(100_000) + " x ".repeat(100_000);
  const started = performance.now();
  expect(findReferences(text)).toEqual([]);
  // Generous bound: a quadratic scan of this text takes minutes.
  expect(performance.now() - started).toBeLessThan(2_000);
});
