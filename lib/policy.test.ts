import { describe, expect, it } from "vitest";
import { MCP_RULES, PERMISSIONS, ROLES, TOKEN_SCOPES, can, deniedMessage } from "./policy";

describe("policy", () => {
  it("gives roles and scopes what the issue says", () => {
    const table = Object.fromEntries([
      ...ROLES.map((role) => [role, PERMISSIONS.filter((p) => can({ kind: "user", role }, p))]),
      ...TOKEN_SCOPES.map((scope) => [`token:${scope}`, PERMISSIONS.filter((p) => can({ kind: "token", scope }, p))]),
    ]);
    expect(table).toEqual({
      viewer: ["read"],
      operator: ["read", "create", "operate"],
      admin: ["read", "create", "operate", "admin"],
      "token:agent": ["read", "agent"],
      "token:submit": ["read", "create", "operate"],
      "token:read": ["read"],
      "token:admin": ["read", "create", "operate", "admin"],
    });
    // An agent token submits only when it was made to (canSubmit); other scopes ignore the flag.
    expect(PERMISSIONS.filter((p) => can({ kind: "token", scope: "agent", canSubmit: true }, p))).toEqual(["read", "create", "agent"]);
    expect(PERMISSIONS.filter((p) => can({ kind: "token", scope: "read", canSubmit: true }, p))).toEqual(["read"]);
    // No user can act as an agent; nobody anonymous can do anything.
    expect(ROLES.some((role) => can({ kind: "user", role }, "agent"))).toBe(false);
    expect(can(null, "read")).toBe(false);
  });

  it("explains a refusal", () => {
    expect(deniedMessage({ kind: "user", role: "viewer" }, "operate")).toBe("Not allowed for your role (viewer): this needs an operator or admin, or a token with scope submit.");
  });

  it("has a rule for every MCP tool the issue names", () => {
    expect(Object.keys(MCP_RULES).sort()).toEqual(
      [
        "ack_messages",
        "claim_task",
        "complete_task",
        "create_task",
        "fail_task",
        "get_task",
        "get_workflow_run",
        "heartbeat",
        "list_agents",
        "read_inbox",
        "register_agent",
        "release_task",
        "report_progress",
        "send_message",
        "stop_agent",
      ].sort(),
    );
  });
});
