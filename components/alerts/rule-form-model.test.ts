import { describe, expect, it } from "vitest";
import { ruleInput, type RuleView } from "@/lib/api";
import { emptyRuleForm, formToRuleInput, ruleToForm, ruleUpdate, type RuleForm } from "./rule-form-model";

const rule = (over: Partial<RuleView> = {}): RuleView => ({
  id: "rule-1",
  name: "QueueWaitHigh",
  kind: "queue_wait",
  params: { targetMs: 300_000, windowMs: 900_000, minTasks: 3 },
  severity: "warning",
  labels: { team: "ml" },
  forMs: 300_000,
  keepFiringForMs: 0,
  repeatIntervalMs: 4 * 3_600_000,
  enabled: true,
  builtIn: true,
  createdBy: null,
  updatedAt: 0,
  ...over,
});

const converted = (f: RuleForm) => {
  const r = formToRuleInput(f);
  if (!r.ok) throw new Error(`${r.field}: ${r.text}`);
  return r.value;
};

describe("rule form", () => {
  it("takes minutes and percentages and gives the API milliseconds and ratios", () => {
    const f = emptyRuleForm();
    f.name = " GpuFailing ";
    f.params.failure_rate = { thresholdPct: "30", window: { amount: "10", unit: "min" }, minTasks: "4" };
    f.forDuration = { amount: "2", unit: "min" };
    f.keepFiringFor = { amount: "30", unit: "s" };
    f.repeatInterval = { amount: "1", unit: "d" };
    f.labels = [{ key: "team", value: "ml " }, { key: "", value: "" }];
    const input = converted(f);
    expect(input).toEqual({ name: "GpuFailing", kind: "failure_rate", params: { threshold: 0.3, windowMs: 600_000, minTasks: 4 }, severity: "warning", enabled: true, forMs: 120_000, keepFiringForMs: 30_000, repeatIntervalMs: 86_400_000, labels: { team: "ml" } });
    expect(ruleInput.safeParse(input).success).toBe(true);
  });

  it("gives valid input for every kind with its defaults", () => {
    for (const kind of ["agents_offline", "queue_wait", "failure_rate", "dead_tasks", "approval_waiting", "error_group", "forecast_shortage"] as const) {
      const f = { ...emptyRuleForm(), name: "R", kind };
      const parsed = ruleInput.safeParse(converted(f));
      expect(parsed.success, `${kind}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it("round-trips an existing rule, and keeps each kind's fields when the kind changes", () => {
    const f = ruleToForm(rule());
    expect(f.params.queue_wait).toEqual({ target: { amount: "5", unit: "min" }, window: { amount: "15", unit: "min" }, minTasks: "3" });
    expect(f.labels).toEqual([{ key: "team", value: "ml" }]);
    expect(converted(f)).toMatchObject({ kind: "queue_wait", params: { targetMs: 300_000, windowMs: 900_000, minTasks: 3 }, forMs: 300_000, repeatIntervalMs: 14_400_000, labels: { team: "ml" } });
    expect(converted({ ...f, kind: "failure_rate" }).params).toEqual({ threshold: 0.25, windowMs: 900_000, minTasks: 5 });
    expect(ruleToForm(rule({ kind: "failure_rate", params: { threshold: 0.125, windowMs: 3_600_000, minTasks: 5 } })).params.failure_rate).toEqual({ thresholdPct: "12.5", window: { amount: "1", unit: "h" }, minTasks: "5" });
    expect(ruleToForm(rule({ kind: "error_group", params: { windowMs: 1_800_000, kinds: ["error_group_spike"] } })).params.error_group.kinds).toEqual(["error_group_spike"]);
  });

  it("names the field it cannot convert, and leaves ranges to the server", () => {
    const f = emptyRuleForm();
    expect(formToRuleInput(f)).toEqual({ ok: false, field: "name", text: "must not be empty" });
    f.name = "X";
    expect(formToRuleInput({ ...f, forDuration: { amount: "soon", unit: "min" } })).toMatchObject({ ok: false, field: "forMs" });
    expect(formToRuleInput({ ...f, params: { ...f.params, failure_rate: { ...f.params.failure_rate, thresholdPct: "a lot" } } })).toMatchObject({ ok: false, field: "params.threshold" });
    expect(formToRuleInput({ ...f, params: { ...f.params, failure_rate: { ...f.params.failure_rate, minTasks: "2.5" } } })).toMatchObject({ ok: false, field: "params.minTasks" });
    expect(formToRuleInput({ ...f, labels: [{ key: "", value: "ml" }] })).toMatchObject({ ok: false, field: "labels" });
    expect(formToRuleInput({ ...f, labels: [{ key: "a", value: "1" }, { key: "a", value: "2" }] })).toMatchObject({ ok: false, field: "labels", text: "a appears twice" });
    expect(formToRuleInput({ ...f, kind: "error_group", params: { ...f.params, error_group: { ...f.params.error_group, kinds: [] } } })).toMatchObject({ ok: false, field: "params.kinds" });
    expect(formToRuleInput({ ...f, forDuration: { amount: "999", unit: "d" } })).toMatchObject({ ok: true });
  });

  it("toggles one field of a rule and sends the rest as it was", () => {
    expect(ruleUpdate(rule(), { enabled: false })).toEqual({ id: "rule-1", name: "QueueWaitHigh", kind: "queue_wait", params: { targetMs: 300_000, windowMs: 900_000, minTasks: 3 }, severity: "warning", labels: { team: "ml" }, forMs: 300_000, keepFiringForMs: 0, repeatIntervalMs: 14_400_000, enabled: false });
  });
});
