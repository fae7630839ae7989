import { describe, expect, it } from "vitest";
import type { StepStatus } from "@/lib/api";
import type { StepRow } from "@/lib/client/run-patches";
import { previewEdges, previewNodes, structureKey, syncStepEdges, syncStepNodes } from "./step-graph";

const step = (id: string, dependsOn: string[] = [], status: StepStatus = "pending"): StepRow => ({
  id,
  templateStepId: id,
  description: null,
  type: "task",
  title: id,
  status,
  dependsOn,
  taskId: null,
  agentId: null,
  agentName: null,
  attempt: 0,
  result: null,
  error: null,
  startedAt: null,
  finishedAt: null,
  decisions: [],
  approvalDeadline: null,
});

const positions = { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 300, y: 100 } };
const none = new Set<string>();

describe("[run graph]: nodes and edges", () => {
  it("maps steps to positioned step nodes", () => {
    const nodes = syncStepNodes([], [step("a"), step("b", ["a"])], positions, "LR", new Set(["a"]), "b");
    expect(nodes.map((n) => [n.id, n.type, n.position, n.data.critical, n.selected, n.sourcePosition])).toEqual([
      ["a", "step", { x: 0, y: 0 }, true, false, "right"],
      ["b", "step", { x: 300, y: 0 }, false, true, "right"],
    ]);
  });

  it("replaces only the node whose step changed, and nothing when nothing did", () => {
    const steps = [step("a"), step("b", ["a"]), step("c", ["a"])];
    const first = syncStepNodes([], steps, positions, "LR", none, null);
    expect(syncStepNodes(first, steps, positions, "LR", none, null)).toBe(first);
    const next = [steps[0], { ...steps[1], status: "running" as const }, steps[2]];
    const second = syncStepNodes(first, next, positions, "LR", none, null);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[2]).toBe(first[2]);
    // Selecting a node touches that node only.
    const third = syncStepNodes(second, next, positions, "LR", none, "c");
    expect(third[0]).toBe(second[0]);
    expect(third[2].selected).toBe(true);
  });

  it("draws an edge per known dependency, animated while its target runs, critical ones marked", () => {
    const steps = [step("a", [], "succeeded"), step("b", ["a"], "running"), step("c", ["a", "ghost"])];
    const edges = syncStepEdges([], steps, new Set(["a->b"]));
    expect(edges.map((e) => [e.id, e.animated, (e.data as { critical: boolean }).critical])).toEqual([
      ["a->b", true, true],
      ["a->c", false, false],
    ]);
    expect(syncStepEdges(edges, steps, new Set(["a->b"]))).toBe(edges);
    const done = syncStepEdges(edges, [steps[0], { ...steps[1], status: "succeeded" }, steps[2]], new Set(["a->b"]));
    expect(done[0].animated).toBe(false);
    expect(done[1]).toBe(edges[1]);
  });

  it("changes the structure key only when steps or dependencies do", () => {
    const k = structureKey([step("a"), step("b", ["a"])]);
    expect(structureKey([step("a", [], "failed"), step("b", ["a"], "running")])).toBe(k);
    expect(structureKey([step("a"), step("b")])).not.toBe(k);
  });

  it("maps a preview graph top to bottom", () => {
    const graph = [
      { id: "a", type: "task" as const, title: "A", dependsOn: [] },
      { id: "b", type: "approval" as const, title: "B", dependsOn: ["a"] },
    ];
    const nodes = previewNodes(graph, positions, "TB");
    expect(nodes.map((n) => [n.id, n.type, n.targetPosition])).toEqual([
      ["a", "preview", "top"],
      ["b", "preview", "top"],
    ]);
    expect(previewEdges(graph).map((e) => e.id)).toEqual(["a->b"]);
  });
});
