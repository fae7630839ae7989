// Who asked for a task, as the task page says it: "admin (admin)", "token deploy-bot (submit,
// made by alice)", "workflow release-train (triggered by bob)", in parts so the page can link the
// name. Pure. The server's wording in waiting explanations is lib/accept-from.ts describeSubmitter.
import type { Submitter } from "@/lib/protocol";

export interface SubmitterText {
  /** "token ", "workflow ", or "" for a user: said before the name. */
  kind: string;
  name: string;
  /** What follows the name in brackets, or "" when there is nothing to add. */
  detail: string;
}

export function submitterText(s: Submitter | null): SubmitterText | null {
  if (!s) return null;
  if (s.kind === "user") return { kind: "", name: s.name, detail: s.role ?? "" };
  if (s.kind === "token") return { kind: "token ", name: s.name, detail: [s.role, s.by && `made by ${s.by}`].filter(Boolean).join(", ") };
  return { kind: "workflow ", name: s.name, detail: s.by ? `triggered by ${s.by}` : "" };
}
