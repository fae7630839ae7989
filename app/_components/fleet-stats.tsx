"use client";
import { formatPercent } from "@/lib/client/format";
import { useFleetStats } from "@/lib/client/use-fleet-stats";
import { ErrorNotice } from "@/components/error-notice";

interface Card {
  name: string;
  label: string;
  /** For phones, where four cards share a row. */
  short?: string;
  value: (s: NonNullable<ReturnType<typeof useFleetStats>["data"]>) => string | number;
  tone: string;
  hint?: string;
}

const CARDS: Card[] = [
  { name: "online", label: "Online", value: (s) => s.agents.online, tone: "bg-emerald-500" },
  { name: "busy", label: "Busy", value: (s) => s.agents.busy, tone: "bg-sky-500" },
  { name: "draining", label: "Draining", value: (s) => s.agents.draining, tone: "bg-amber-500" },
  { name: "offline", label: "Offline", value: (s) => s.agents.offline, tone: "bg-zinc-400" },
  { name: "queued", label: "Queued", value: (s) => s.tasks.queued, tone: "bg-zinc-500" },
  { name: "running", label: "Running", value: (s) => s.tasks.running + s.tasks.assigned, tone: "bg-sky-500", hint: "running and assigned" },
  { name: "tasks-per-minute", label: "Tasks / min", short: "Per min", value: (s) => s.tasksPerMinute, tone: "bg-indigo-500", hint: "finished in the last minute" },
  { name: "failure-rate", label: "Failure rate", short: "Fail %", value: (s) => formatPercent(s.failureRate), tone: "bg-red-500", hint: "failed or dead, last 5 minutes" },
];

/** Live fleet counters; `stats:updated` pushes replace them. */
export function FleetStats() {
  const { data, error } = useFleetStats();
  return (
    <div className="mb-5">
      <ErrorNotice error={error} title="Could not load fleet stats" />
      <dl className="grid grid-cols-4 gap-1.5 sm:gap-2 xl:grid-cols-8">
        {CARDS.map((c) => {
          const value = data ? c.value(data) : null;
          return (
            <div key={c.name} data-testid={`stat-${c.name}`} data-value={value ?? ""} title={c.hint} className="min-w-0 rounded-lg border border-line bg-surface px-2 py-2 sm:px-3 sm:py-2.5">
              <dt className="flex items-center gap-1.5 truncate text-xs font-medium text-muted">
                <span aria-hidden className={`size-2 shrink-0 rounded-full ${c.tone}`} />
                {c.short ? (
                  <>
                    <span className="sm:hidden">{c.short}</span>
                    <span className="hidden sm:inline">{c.label}</span>
                  </>
                ) : (
                  c.label
                )}
              </dt>
              <dd className="mt-0.5 text-xl font-semibold tabular-nums sm:mt-1 sm:text-2xl">{value ?? "–"}</dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
