import { describe, expect, it } from "vitest";
import { parseRulesYaml, rulesToYaml } from "./alert-rules-yaml";
import type { RuleView } from "./alerts";

const FILE = `
rules:
  - name: GpuQueueSlow
    kind: queue_wait
    params: { targetMs: 1m, window: 15m, minTasks: 5 }
    for: 5m
    keep_firing_for: 2m
    repeat_interval: 4h
    severity: critical
    labels: { team: ml }
  - name: ReleaseGateStuck
    kind: approval_waiting
    params: { olderThan: 2h }
`;

describe("alert rules as YAML", () => {
  it("reads Prometheus-style durations into the API's rule input", () => {
    const r = parseRulesYaml(FILE);
    if (!r.ok) throw new Error(r.message);
    expect(r.rules[0]).toMatchObject({ name: "GpuQueueSlow", kind: "queue_wait", params: { targetMs: 60_000, windowMs: 900_000, minTasks: 5 }, forMs: 300_000, keepFiringForMs: 120_000, repeatIntervalMs: 14_400_000, severity: "critical", labels: { team: "ml" }, enabled: true });
    expect(r.rules[1]).toMatchObject({ name: "ReleaseGateStuck", kind: "approval_waiting", params: { olderThanMs: 7_200_000 }, forMs: 0, severity: "warning" });
  });

  it("names where a problem is, in one sentence", () => {
    const msg = (src: string) => {
      const r = parseRulesYaml(src);
      return r.ok ? "ok" : r.message;
    };
    expect(msg("rules: [")).toMatch(/^source: not YAML/);
    expect(msg("rules: []")).toBe("rules: must be a list of at least one rule");
    expect(msg("rules:\n  - name: A\n    kind: dead_tasks\n  - name: B\n    kind: queue_wait\n    params: { windowMs: 5m }")).toMatch(/^rules\[1\]\.params\.targetMs: /);
    expect(msg("rules:\n  - name: A\n    kind: dead_tasks\n    for: soon")).toBe('rules[0].for: must be a duration such as 5m, 90s or 4h (got "soon")');
    expect(msg("rules:\n  - name: A\n    kind: queue_wait\n    params: { targetMs: later }")).toMatch(/^rules\[0\]\.params\.targetMs: must be a duration/);
    expect(msg("rules:\n  - name: A\n    kind: nope")).toMatch(/^rules\[0\]\.kind: /);
    expect(msg("rules:\n  - name: A\n    kind: dead_tasks\n  - name: A\n    kind: dead_tasks")).toBe("rules[1].name: A appears twice");
    expect(msg("name: Single\nkind: dead_tasks")).toBe("ok");
  });

  it("writes rules that read back the same", () => {
    const view = (over: Partial<RuleView>): RuleView => ({ id: "x", name: "X", kind: "dead_tasks", params: {}, severity: "warning", labels: {}, forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 14_400_000, enabled: true, builtIn: false, createdBy: null, updatedAt: 0, ...over });
    const rules = [view({ name: "GpuQueueSlow", kind: "queue_wait", params: { targetMs: 60_000, windowMs: 900_000, minTasks: 5 }, forMs: 300_000, labels: { team: "ml" } }), view({ name: "Dead", params: { windowMs: 600_000, min: 2 }, enabled: false })];
    const text = rulesToYaml(rules);
    expect(text).toContain("for: 5m");
    expect(text).toContain("targetMs: 1m");
    const back = parseRulesYaml(text);
    if (!back.ok) throw new Error(back.message);
    expect(back.rules.map((r) => [r.name, r.kind, r.params, r.forMs, r.labels, r.enabled])).toEqual(rules.map((r) => [r.name, r.kind, r.params, r.forMs, r.labels, r.enabled]));
  });
});
