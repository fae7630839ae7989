import type { AgentView } from "@/lib/api";

type Health = AgentView["health"];

export const AGENT_HEALTH_TONE: Record<Health, { dot: string; text: string }> = {
  healthy: { dot: "bg-emerald-500", text: "text-emerald-800 dark:text-emerald-300" },
  unhealthy: { dot: "bg-orange-500", text: "text-orange-800 dark:text-orange-300" },
  offline: { dot: "bg-zinc-400 dark:bg-zinc-600", text: "text-zinc-600 dark:text-zinc-400" },
};

/** "unhealthy — missed heartbeats: last one 3.1 s ago", or just the health when no reason is given. */
export function healthText(agent: Pick<AgentView, "health" | "healthReason">): string {
  return agent.healthReason ? `${agent.health} — ${agent.healthReason}` : agent.health;
}

/**
 * The agent's health and why, as text: the reason quotes agent-supplied names and titles. The
 * full sentence is also the tooltip, for when `clamp` cuts it to two lines.
 */
export function AgentHealth({ agent, className = "", clamp = false }: { agent: Pick<AgentView, "health" | "healthReason">; className?: string; clamp?: boolean }) {
  const tone = AGENT_HEALTH_TONE[agent.health];
  const text = healthText(agent);
  return (
    <span data-testid="agent-health" data-health={agent.health} title={text} className={`flex min-w-0 items-start gap-1.5 ${tone.text} ${className}`}>
      <span aria-hidden className={`mt-[0.4em] size-1.5 shrink-0 rounded-full ${tone.dot}`} />
      <span className={`min-w-0 break-words ${clamp ? "line-clamp-2" : ""}`}>{text}</span>
    </span>
  );
}
