// Whose tasks an agent runs (`switchboard agent --accept-from …`). Tasks are shell commands, so
// a deploy agent may want to run only what an admin or a trusted workflow asked for. The
// scheduler matches on it (a task is never offered to an agent that would refuse it) and the
// runner checks the assignment again before it starts anything.
import type { Submitter } from "./protocol";

/** What `role:<r>` covers among tokens: the scope that grants the same rights as the role. */
const SCOPE_OF_ROLE: Record<string, string> = { admin: "admin", operator: "submit", viewer: "read" };

export function acceptsRule(rule: string, s: Submitter | null): boolean {
  const i = rule.indexOf(":");
  const kind = rule.slice(0, i);
  const value = rule.slice(i + 1);
  if (!s) return false; // a task of unknown origin (created before submitters were recorded) matches no rule
  switch (kind) {
    case "role":
      return (s.kind === "user" && s.role === value) || (s.kind === "token" && s.role === SCOPE_OF_ROLE[value]);
    case "user":
      return (s.kind === "user" && s.name === value) || (s.kind === "token" && s.by === value);
    case "token":
      return s.kind === "token" && s.name === value;
    case "workflow":
      return s.kind === "workflow" && (value === "*" || s.name === value);
    default:
      return false;
  }
}

/** No rules: anyone's tasks. Otherwise any one rule must match. */
export function accepts(rules: readonly string[], s: Submitter | null): boolean {
  return rules.length === 0 || rules.some((r) => acceptsRule(r, s));
}

/** "admin user", "token deploy-bot", "workflow release-train" — for explanations. */
export function describeSubmitter(s: Submitter | null): string {
  if (!s) return "an unknown submitter";
  if (s.kind === "workflow") return `workflow ${s.name}${s.by ? ` (triggered by ${s.by})` : ""}`;
  if (s.kind === "token") return `token ${s.name} (${s.role}${s.by ? `, made by ${s.by}` : ""})`;
  return `user ${s.name} (${s.role})`;
}

/** Part of the ready queue's grouping key: tasks from different submitters may have different candidates. */
export function submitterKey(s: Submitter | null): string {
  return s ? `${s.kind}:${s.name}:${s.role ?? ""}:${s.by ?? ""}` : "";
}
