// From a validated template and resolved parameters to the steps one run executes.
//
// Fan-out: a task step with `parallel: N` becomes `<id>_1 … <id>_N` (index 1..N), and a step
// depending on it depends on every copy (fan-in). Order: topological, and among steps that
// are ready at the same time the one earlier in the file comes first, so a plan is stable
// for a given template and the dashboard lists steps the way the author wrote them.
import type { StepDef, Template } from "@/lib/workflow";
import type { ParamValues } from "@/lib/api";
import { copyId, fanOutCount } from "./fan-out";

export interface PlannedStep {
  /** Unique in the run: the template step's id, or `<id>_<n>` for a fan-out copy. */
  id: string;
  templateStepId: string;
  type: StepDef["type"];
  /** The template's title, not yet interpolated, or the planned id. */
  title: string;
  dependsOn: string[];
  def: StepDef;
  /** 1-based copy number of a fanned-out step; null otherwise. */
  index: number | null;
}

/** Template steps in topological order, ties broken by file order. Throws on a cycle or unknown dependency. */
export function topologicalOrder<S extends { id: string; dependsOn: readonly string[] }>(steps: readonly S[]): S[] {
  const pos = new Map(steps.map((s, i) => [s.id, i]));
  const waiting = steps.map((s) => new Set(s.dependsOn).size);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => {
    for (const d of new Set(s.dependsOn)) {
      const j = pos.get(d);
      if (j === undefined) throw new Error(`step ${s.id} depends on unknown step ${d}`);
      dependents[j].push(i);
    }
  });
  // Ready indexes kept sorted descending, so the earliest in the file pops off the end.
  // Insertion is O(n), fine for WORKFLOW_LIMITS.steps (500).
  const ready = steps.map((_, i) => i).filter((i) => waiting[i] === 0).reverse();
  const out: S[] = [];
  while (ready.length) {
    const i = ready.pop()!;
    out.push(steps[i]);
    for (const k of dependents[i]) {
      if (--waiting[k] > 0) continue;
      let at = ready.length;
      while (at > 0 && ready[at - 1] < k) at--;
      ready.splice(at, 0, k);
    }
  }
  if (out.length !== steps.length) {
    const stuck = steps.filter((_, i) => waiting[i] > 0).map((s) => s.id);
    throw new Error(`steps ${stuck.join(", ")} are on or behind a dependency cycle`);
  }
  return out;
}

/** The run's steps. Expects a template that passed validateTemplate and params from resolveParams. */
export function expandSteps(template: Template, params: ParamValues): PlannedStep[] {
  const expanded = new Map<string, string[]>();
  const out: PlannedStep[] = [];
  for (const def of topologicalOrder(template.steps)) {
    const dependsOn = [...new Set(def.dependsOn.flatMap((d) => expanded.get(d)!))];
    const n = fanOutCount(def, params);
    const copies = n === null ? [{ id: def.id, index: null }] : Array.from({ length: n }, (_, k) => ({ id: copyId(def.id, k + 1), index: k + 1 }));
    expanded.set(def.id, copies.map((c) => c.id));
    for (const c of copies)
      out.push({ id: c.id, templateStepId: def.id, type: def.type, title: def.title ?? c.id, dependsOn: [...dependsOn], def, index: c.index });
  }
  return out;
}
