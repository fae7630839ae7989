import { describe, expect, it } from "vitest";
import { formProblem } from "./form-problem";
import { RULE_FIELD_LABELS } from "./rule-form-model";
import { CHANNEL_FIELD_LABELS } from "./channel-form-model";

describe("a refused save, on its field", () => {
  it("finds the field a validation error names, in the form's units and words", () => {
    expect(formProblem("Invalid request: params.targetMs: must be at least 1000.", RULE_FIELD_LABELS)).toEqual({ field: "params.targetMs", text: "must be at least 1 s", sentence: "Queue-wait p95 over: must be at least 1 s." });
    expect(formProblem("Invalid request: params.windowMs: must be at least 60000 (one minute).", RULE_FIELD_LABELS).text).toBe("must be at least 1 min");
    expect(formProblem("Invalid request: forMs: must be at most 86400000.", RULE_FIELD_LABELS).sentence).toBe("For: must be at most 1 day.");
    expect(formProblem("Invalid request: params.threshold: must be at most 1.", RULE_FIELD_LABELS).text).toBe("must be at most 100 %");
    expect(formProblem("Invalid request: name: must be an alert name such as QueueWaitHigh: letters, digits and _.", RULE_FIELD_LABELS)).toMatchObject({ field: "name", text: "must be an alert name such as QueueWaitHigh: letters, digits and _" });
  });

  it("maps nested paths to the field that holds them, and says when there is more", () => {
    expect(formProblem("Invalid request: labels.9x: must be a label name.", RULE_FIELD_LABELS).field).toBe("labels");
    expect(formProblem("Invalid request: to.1: must be e-mail addresses such as ops@example.com; url: a webhook channel needs a URL.", CHANNEL_FIELD_LABELS)).toEqual({ field: "to", text: "must be e-mail addresses such as ops@example.com", sentence: "Addresses: must be e-mail addresses such as ops@example.com (and more)." });
    expect(formProblem("kind: a built-in rule keeps its kind (queue_wait); make a new rule for another.", RULE_FIELD_LABELS).field).toBe("kind");
  });

  it("keeps a sentence that names no field of the form as it is", () => {
    expect(formProblem("Not allowed for your role (viewer): this needs an admin.", RULE_FIELD_LABELS)).toEqual({ field: null, text: "Not allowed for your role (viewer): this needs an admin.", sentence: "Not allowed for your role (viewer): this needs an admin." });
    expect(formProblem("Invalid request: bogus: is required.", RULE_FIELD_LABELS).field).toBeNull();
  });
});
