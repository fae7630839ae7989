// "Why is this task waiting?" — one short, true sentence for a queued task, derived from the
// same facts the dispatcher uses, checked in the order an operator would fix them: backoff,
// then missing capabilities, then labels, then agents offline, then agents busy.
import type { AgentStatus, WaitingExplanation } from "@/lib/api";
import { acceptsSubmitter, hasCapabilities, levelOf, matchesLabels, type Qualifiable, type Requirement } from "./matching";
import { describeSubmitter } from "@/lib/accept-from";

export interface WaitingAgent extends Qualifiable {
  name: string;
  slots: number;
  tasks: { size: number };
}

export interface WaitingTask extends Requirement {
  notBefore: number | null;
  failures: number;
  maxAttempts: number;
}

const list = (names: string[], max = 3) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

export function explainWaiting<A extends WaitingAgent>(
  t: WaitingTask,
  agents: readonly A[],
  ctx: { now: number; status: (a: A) => AgentStatus; ahead: number },
): WaitingExplanation {
  if (t.notBefore != null && t.notBefore > ctx.now) {
    const secs = Math.ceil((t.notBefore - ctx.now) / 1000);
    return {
      code: "backoff",
      message: `Waiting for retry backoff until ${new Date(t.notBefore).toISOString()} (${secs}s; retry ${t.failures + 1} of ${t.maxAttempts}).`,
    };
  }
  if (agents.length === 0) {
    return { code: "no_capable_agent", message: "No agent has registered yet; start one with `switchboard agent`." };
  }
  const capable = agents.filter((a) => hasCapabilities(a, t));
  if (capable.length === 0) {
    for (const r of t.requirements) {
      const withAny = agents.filter((a) => levelOf(a, r.name) > 0);
      if (withAny.length === 0) return { code: "no_capable_agent", message: `No agent has capability ${r.name}.` };
      const atLevel = withAny.filter((a) => levelOf(a, r.name) >= r.level);
      if (atLevel.length === 0) {
        const best = withAny.reduce((x, y) => (levelOf(y, r.name) > levelOf(x, r.name) ? y : x));
        return {
          code: "no_capable_agent",
          message: `No agent has capability ${r.name} at level ${r.level} or higher (best: ${best.name} at level ${levelOf(best, r.name)}).`,
        };
      }
    }
    const names = t.requirements.map((r) => `${r.name}:${r.level}`).join(", ");
    return { code: "no_capable_agent", message: `No single agent has all of ${names}.` };
  }
  const matching = capable.filter((a) => matchesLabels(a, t));
  if (matching.length === 0) {
    const sel = Object.entries(t.labelSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    return { code: "label_mismatch", message: `${capable.length} agent(s) have the capabilities, but none has labels ${sel}.` };
  }
  const willing = matching.filter((a) => acceptsSubmitter(a, t));
  if (willing.length === 0) {
    const rules = [...new Set(matching.flatMap((a) => a.acceptFrom ?? []))];
    return {
      code: "not_accepted",
      message: `${matching.length} matching agent(s) run only tasks from ${list(rules)}; this one was submitted by ${describeSubmitter(t.submittedBy ?? null)}.`,
    };
  }
  const live = willing.filter((a) => ctx.status(a) !== "offline");
  if (live.length === 0) {
    return {
      code: "agents_offline",
      message: `All ${willing.length} matching agent(s) are offline (${list(willing.map((a) => a.name))}).`,
    };
  }
  const taking = live.filter((a) => ctx.status(a) === "online");
  if (taking.length === 0) {
    const draining = live.filter((a) => ctx.status(a) === "draining").length;
    const used = live.reduce((n, a) => n + a.tasks.size, 0);
    const slots = live.reduce((n, a) => n + a.slots, 0);
    return {
      code: "all_busy",
      message:
        `All ${live.length} matching agent(s) are busy (${used}/${slots} slots used)` +
        (draining ? `, ${draining} draining` : "") +
        (ctx.ahead > 0 ? `; ${ctx.ahead} task(s) ahead in the queue.` : "."),
    };
  }
  if (ctx.ahead > 0) {
    return { code: "queued_behind", message: `${ctx.ahead} task(s) ahead of it in the queue; ${taking.length} matching agent(s) have free slots.` };
  }
  return { code: "ready", message: `Ready: ${taking.length} matching agent(s) have free slots; it will be dispatched on the next pass.` };
}
