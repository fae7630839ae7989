// A pool's scaling policy in words, as the pool page shows it: the bounds, the target, how fast
// each way, the cooldown, waking from zero and the forecast. Pure.
import type { PoolPolicy } from "@/lib/api/pools";
import { humanDuration } from "@/components/alerts/duration-fields";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const every = (ms: number) => (ms === 1_000 ? "second" : humanDuration(ms));

export function describePolicy(policy: PoolPolicy, slotsPerAgent: number, enabled = true): string[] {
  const out: string[] = [];
  if (!enabled) out.push("Paused: it stops its agents and starts none until resumed.");
  out.push(policy.min === policy.max ? `Keeps ${plural(policy.max, "agent")}, each with ${plural(slotsPerAgent, "slot")}.` : `Between ${policy.min} and ${plural(policy.max, "agent")}, each with ${plural(slotsPerAgent, "slot")}.`);
  out.push(
    `Wants an agent for every ${plural(slotsPerAgent, "slot")} of demand: busy slots plus queued tasks over a target of ${policy.targetBacklogPerSlot} per slot; a change within ${Math.round(policy.tolerance * 100)} % is ignored.`,
  );
  out.push(`Scales up by at most ${plural(policy.up.agents, "agent")} or ${policy.up.percent} % every ${every(policy.up.periodMs)}${policy.up.stabilizationMs > 0 ? `, following the lowest wish of the last ${humanDuration(policy.up.stabilizationMs)}` : ""}.`);
  out.push(
    `Scales down by at most ${plural(policy.down.agents, "agent")} or ${policy.down.percent} % every ${every(policy.down.periodMs)}, ${policy.down.stabilizationMs > 0 ? `following the highest wish of the last ${humanDuration(policy.down.stabilizationMs)}` : "at once"}${policy.cooldownMs > 0 ? `, and not for ${humanDuration(policy.cooldownMs)} after any change` : ""}; only idle agents are stopped, drained first.`,
  );
  if (policy.min === 0) out.push(policy.activationBacklog > 0 ? `From zero agents it wakes only when more than ${plural(policy.activationBacklog, "task")} wait.` : "From zero agents it wakes for the first queued task.");
  out.push(policy.predictive.enabled ? `Predictive: follows the capacity forecast ${humanDuration(policy.predictive.leadMs)} ahead when it asks for more.` : "Predictive scaling is off: it follows the backlog only.");
  return out;
}
