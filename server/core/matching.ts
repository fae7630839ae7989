// Capability matching: an agent qualifies for a task when it has every required capability
// at or above the required level and every label in the task's selector with the same value.
// An agent with `acceptFrom` rules also only qualifies for tasks whose submitter they accept.
import type { Capability, Submitter } from "@/lib/protocol";
import { accepts, submitterKey } from "@/lib/accept-from";

export interface Qualifiable {
  capabilities: readonly Capability[];
  labels: Readonly<Record<string, string>>;
  acceptFrom?: readonly string[];
}

export interface Requirement {
  requirements: readonly Capability[];
  labelSelector: Readonly<Record<string, string>>;
  submittedBy?: Submitter | null;
}

export function levelOf(agent: Qualifiable, capability: string): number {
  let best = 0;
  for (const c of agent.capabilities) if (c.name === capability && c.level > best) best = c.level;
  return best;
}

export function hasCapabilities(agent: Qualifiable, task: Requirement): boolean {
  for (const r of task.requirements) if (levelOf(agent, r.name) < r.level) return false;
  return true;
}

export function matchesLabels(agent: Qualifiable, task: Requirement): boolean {
  for (const [k, v] of Object.entries(task.labelSelector)) if (agent.labels[k] !== v) return false;
  return true;
}

export function acceptsSubmitter(agent: Qualifiable, task: Requirement): boolean {
  return accepts(agent.acceptFrom ?? [], task.submittedBy ?? null);
}

export function qualifies(agent: Qualifiable, task: Requirement): boolean {
  return hasCapabilities(agent, task) && matchesLabels(agent, task) && acceptsSubmitter(agent, task);
}

/**
 * Tasks with the same requirements and selector compete for the same agents, so the ready
 * queue groups them under one key and checks candidates once per group, not once per task.
 */
export function requirementKey(task: Requirement): string {
  // JSON, not a joined string: label values may contain any separator we could pick.
  const caps = [...task.requirements].map((c) => [c.name, c.level]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
  const labels = Object.entries(task.labelSelector).sort(([a], [b]) => a.localeCompare(b));
  const from = submitterKey(task.submittedBy ?? null);
  return JSON.stringify(from ? [caps, labels, from] : [caps, labels]);
}
