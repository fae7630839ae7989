import type { IncidentKind } from "@/lib/api";

/** How each kind of incident reads and looks: a label, a colour (light and dark) and an icon. */
export const INCIDENT_KIND_META: Record<IncidentKind, { label: string; tone: string; dot: string; icon: keyof typeof ICON_PATHS }> = {
  agent_lost: { label: "Agent lost", tone: "bg-red-500/15 text-red-700 dark:text-red-300", dot: "bg-red-500", icon: "unplugged" },
  agent_unhealthy: { label: "Agent unhealthy", tone: "bg-orange-500/15 text-orange-800 dark:text-orange-300", dot: "bg-orange-500", icon: "alert" },
  agent_recovered: { label: "Agent recovered", tone: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300", dot: "bg-emerald-500", icon: "check" },
  agent_forgotten: { label: "Agent forgotten", tone: "bg-slate-500/15 text-slate-700 dark:text-slate-300", dot: "bg-slate-500", icon: "unplugged" },
  task_stuck: { label: "Task stuck", tone: "bg-amber-500/15 text-amber-800 dark:text-amber-300", dot: "bg-amber-500", icon: "pause" },
  task_retried: { label: "Task retried", tone: "bg-sky-500/15 text-sky-800 dark:text-sky-300", dot: "bg-sky-500", icon: "retry" },
  task_dead: { label: "Task dead", tone: "bg-rose-700/20 text-rose-800 dark:text-rose-300", dot: "bg-rose-700", icon: "cross" },
  task_timed_out: { label: "Task timed out", tone: "bg-amber-500/15 text-amber-800 dark:text-amber-300", dot: "bg-amber-500", icon: "clock" },
  queue_timeout: { label: "Queue timeout", tone: "bg-violet-500/15 text-violet-700 dark:text-violet-300", dot: "bg-violet-500", icon: "hourglass" },
  server_restarted: { label: "Server restarted", tone: "bg-indigo-500/15 text-indigo-700 dark:text-indigo-300", dot: "bg-indigo-500", icon: "power" },
};

// 24×24 strokes, drawn with currentColor.
const ICON_PATHS = {
  unplugged: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M5.6 5.6l12.8 12.8"],
  alert: ["M12 3 2 20h20L12 3z", "M12 10v4", "M12 17h.01"],
  check: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "m8 12 3 3 5-6"],
  pause: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M10 9v6", "M14 9v6"],
  retry: ["M20 12a8 8 0 1 1-2.34-5.66", "M20 4v5h-5"],
  cross: ["M8 3h8l5 5v8l-5 5H8l-5-5V8z", "m9 9 6 6", "m15 9-6 6"],
  clock: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M12 7v5l3 2"],
  hourglass: ["M6 3h12", "M6 21h12", "M7 3v3l5 6-5 6v3", "M17 3v3l-5 6 5 6v3"],
  power: ["M12 3v8", "M6.3 7.3a8 8 0 1 0 11.4 0"],
} as const;

export function IncidentIcon({ kind, className = "size-4" }: { kind: IncidentKind; className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" className={className}>
      {ICON_PATHS[INCIDENT_KIND_META[kind].icon].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
