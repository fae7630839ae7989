import { describe, expect, it } from "vitest";
import type { Submitter } from "@/lib/protocol";
import { submitterText } from "./submitter";

/** The phrase as the task page shows it. */
function phrase(s: Submitter | null) {
  const t = submitterText(s);
  return t && `${t.kind}${t.name}${t.detail ? ` (${t.detail})` : ""}`;
}

describe("submitterText", () => {
  it("names a user with their role", () => {
    expect(phrase({ kind: "user", name: "admin", role: "admin", by: null })).toBe("admin (admin)");
  });
  it("names a token with its scope and who made it", () => {
    expect(phrase({ kind: "token", name: "deploy-bot", role: "submit", by: "alice" })).toBe("token deploy-bot (submit, made by alice)");
    expect(phrase({ kind: "token", name: "ci", role: "submit", by: null })).toBe("token ci (submit)");
  });
  it("names a workflow with who triggered it", () => {
    expect(phrase({ kind: "workflow", name: "release-train", role: null, by: "bob" })).toBe("workflow release-train (triggered by bob)");
    expect(phrase({ kind: "workflow", name: "nightly", role: null, by: null })).toBe("workflow nightly");
  });
  it("has nothing to say when the submitter was not recorded", () => {
    expect(submitterText(null)).toBeNull();
  });
});
