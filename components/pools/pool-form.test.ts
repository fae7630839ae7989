import { describe, expect, test } from "vitest";
import { poolInput } from "@/lib/api/pools";
import { ADVANCED_FIELDS, emptyPoolForm, formToPoolInput, labelsOf, POOL_FIELD_LABELS, poolProblem, type PoolForm } from "./pool-form";

const form = (patch: Partial<PoolForm> = {}): PoolForm => ({ ...emptyPoolForm(), name: "builders", ...patch });

describe("[POOLS] the New pool form", () => {
  test("its defaults are the schema's: an untouched form sends what the API would fill in", () => {
    const r = formToPoolInput(form({ capabilities: ["build:2"] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sent = poolInput.parse(r.value);
    const defaults = poolInput.parse({ name: "builders", card: { capabilities: ["build:2"] }, policy: { max: 4 } });
    expect(sent).toEqual(defaults);
  });

  test("seconds, minutes and percentages become the API's milliseconds and ratios", () => {
    const r = formToPoolInput(
      form({
        provider: "external",
        labels: ["region=eu", "tier = gpu"],
        slots: "2",
        min: "1",
        max: "3",
        predictive: true,
        leadMinutes: "15",
        advanced: { ...emptyPoolForm().advanced, upPeriodS: "1", downPeriodS: "1", downStabilizationS: "3", cooldownS: "2", tolerancePct: "5", drainTimeoutS: "0.5" },
      }),
    );
    expect(r.ok && r.value).toMatchObject({
      provider: "external",
      card: { labels: { region: "eu", tier: "gpu" }, slots: 2 },
      launch: { drainTimeoutMs: 500 },
      policy: { min: 1, max: 3, tolerance: 0.05, up: { periodMs: 1000 }, down: { periodMs: 1000, stabilizationMs: 3000 }, cooldownMs: 2000, predictive: { enabled: true, leadMs: 900_000 } },
    });
  });

  test("refuses only what cannot be sent; ranges are the server's to say", () => {
    expect(formToPoolInput(form({ name: "  " }))).toEqual({ ok: false, field: "name", text: "give the pool a name" });
    expect(formToPoolInput(form({ max: "" }))).toEqual({ ok: false, field: "policy.max", text: "must be a number" });
    expect(formToPoolInput(form({ advanced: { ...emptyPoolForm().advanced, cooldownS: "soon" } }))).toEqual({ ok: false, field: "policy.cooldownMs", text: "must be a number" });
    // Min above max goes to the server, which says so in its own sentence.
    expect(formToPoolInput(form({ min: "3", max: "2" })).ok).toBe(true);
  });

  test("every field the schema can refuse has a label, and the advanced ones are known", () => {
    const r = poolInput.safeParse({ name: "Bad", provider: "x", card: { capabilities: ["bad name"], labels: 3, slots: 0 }, launch: { drainTimeoutMs: -1 }, policy: { min: -1, max: 0, targetBacklogPerSlot: 0, tolerance: 2, up: { agents: 0, percent: 0, periodMs: 0, stabilizationMs: -1 }, down: { agents: 0, percent: 0, periodMs: 0, stabilizationMs: -1 }, cooldownMs: -1, activationBacklog: -1, predictive: { leadMs: 0 } } });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join(".").replace(/\.\d+$/, ""));
    for (const p of paths) expect(POOL_FIELD_LABELS, p).toHaveProperty([p]);
    for (const f of ADVANCED_FIELDS) expect(POOL_FIELD_LABELS).toHaveProperty([f]);
  });

  test("the server's sentence lands beside its field, in the form's units", () => {
    expect(poolProblem("Invalid request: policy.max: must be at least min.")).toEqual({ field: "policy.max", text: "must be at least min", sentence: "Max agents: must be at least min." });
    expect(poolProblem("Invalid request: policy.up.periodMs: must be at least 1000.")).toMatchObject({ field: "policy.up.periodMs", text: "must be at least 1 s" });
    expect(poolProblem("Invalid request: policy.tolerance: must be at most 1.")).toMatchObject({ field: "policy.tolerance", text: "must be at most 100 %", sentence: "Tolerance (%): must be at most 100 %." });
    expect(poolProblem("name: a pool called builders exists already.")).toMatchObject({ field: "name", text: "a pool called builders exists already" });
    expect(poolProblem("You need admin access.")).toEqual({ field: null, text: "You need admin access.", sentence: "You need admin access." });
  });

  test("labels from chips", () => {
    expect(labelsOf(["a=b", "c=d=e", "bad"])).toEqual({ a: "b", c: "d=e" });
  });
  test("sends the runner template one argument per line and the environment as KEY=value lines", () => {
    const r = formToPoolInput({ ...emptyPoolForm(), name: "builders", template: "./build.sh\n  {{payload.target}} \n\n", env: "CI=1\nTOKEN=a=b\n" });
    if (!r.ok) throw new Error(r.text);
    expect(r.value.launch).toMatchObject({ template: ["./build.sh", "{{payload.target}}"], env: { CI: "1", TOKEN: "a=b" } });
  });
});
