import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { templateSchema, type TemplateInput } from "@/lib/workflow";
import { expandSteps, topologicalOrder } from "./expand";

const template = (steps: TemplateInput["steps"], params: TemplateInput["params"] = []) => templateSchema.parse({ name: "t", params, steps });
const shape = (plan: ReturnType<typeof expandSteps>) => plan.map((s) => `${s.id}<-${s.dependsOn.join(",")}`);

describe("expandSteps", () => {
  test("[EXPAND]: a step without fan-out is planned once, with its title or its id", () => {
    const plan = expandSteps(template([{ id: "build", title: "Build {{params.v}}" }, { id: "test", dependsOn: ["build"], type: "check", expression: "true" }]), {});
    expect(plan).toEqual([
      expect.objectContaining({ id: "build", templateStepId: "build", type: "task", title: "Build {{params.v}}", dependsOn: [], index: null }),
      expect.objectContaining({ id: "test", templateStepId: "test", type: "check", title: "test", dependsOn: ["build"], index: null }),
    ]);
    expect(plan[1].def).toMatchObject({ id: "test", expression: "true" });
  });

  test("[EXPAND]: parallel fans out into numbered copies and the next step fans in", () => {
    const t = template([{ id: "plan" }, { id: "impl", parallel: 3, dependsOn: ["plan"] }, { id: "merge", dependsOn: ["impl"] }]);
    const plan = expandSteps(t, {});
    expect(shape(plan)).toEqual(["plan<-", "impl_1<-plan", "impl_2<-plan", "impl_3<-plan", "merge<-impl_1,impl_2,impl_3"]);
    expect(plan.slice(1, 4).map((s) => [s.templateStepId, s.index, s.title])).toEqual([
      ["impl", 1, "impl_1"],
      ["impl", 2, "impl_2"],
      ["impl", 3, "impl_3"],
    ]);
  });

  test("[EXPAND]: the fan-out count can come from a parameter; copies of two fanned steps connect all to all", () => {
    const t = template([{ id: "a", parallel: "{{params.n}}" }, { id: "b", parallel: 2, dependsOn: ["a"] }], [{ name: "n", type: "number", default: 1 }]);
    expect(shape(expandSteps(t, { n: 2 }))).toEqual(["a_1<-", "a_2<-", "b_1<-a_1,a_2", "b_2<-a_1,a_2"]);
    expect(() => expandSteps(t, { n: 0 })).toThrow("step a fans out by parameter n, which is 0; the count must be a whole number from 1 to 100");
  });

  test("[EXPAND]: order is topological and stable by file order", () => {
    const t = template([
      { id: "late", dependsOn: ["early"] },
      { id: "other" },
      { id: "early" },
      { id: "last", dependsOn: ["late", "other"] },
    ]);
    expect(expandSteps(t, {}).map((s) => s.id)).toEqual(["other", "early", "late", "last"]);
  });

  test("[EXPAND]: repeated dependencies are listed once", () => {
    expect(shape(expandSteps(template([{ id: "a" }, { id: "b", dependsOn: ["a", "a"] }]), {}))).toEqual(["a<-", "b<-a"]);
  });

  test("[EXPAND]: cycles and unknown dependencies throw (validation reports them first)", () => {
    expect(() => topologicalOrder([{ id: "a", dependsOn: ["b"] }, { id: "b", dependsOn: ["a"] }])).toThrow("steps a, b are on or behind a dependency cycle");
    expect(() => topologicalOrder([{ id: "a", dependsOn: ["zz"] }])).toThrow("step a depends on unknown step zz");
  });

  test("[EXPAND]: every planned step comes after all its dependencies", () => {
    const dags = fc.integer({ min: 1, max: 15 }).chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
        fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(dags, fc.integer(), ([deps, fan, fanned], seed) => {
        // Shuffle the file order so topological sorting has work to do.
        const order = deps.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b);
        const steps = order.map((i) => ({ id: `s${i}`, dependsOn: deps[i].map((j) => `s${j}`), ...(fanned[i] ? { parallel: fan[i] } : {}) }));
        const plan = expandSteps(template(steps), {});
        const seen = new Set<string>();
        for (const p of plan) {
          for (const d of p.dependsOn) expect(seen.has(d)).toBe(true);
          seen.add(p.id);
        }
        expect(plan.length).toBe(deps.reduce((sum, _, i) => sum + (fanned[i] ? fan[i] : 1), 0));
      }),
      { numRuns: 200 },
    );
  });
});
