"use client";
import Link from "next/link";
import type { IncidentKind } from "@/lib/api";
import { useIncidentCounts } from "@/lib/client/use-incidents";
import { INCIDENT_KIND_META, IncidentIcon } from "@/components/incident-kind";

/** With short labels for phones, so the strip takes two lines there rather than three. */
const SHOWN: { kind: IncidentKind; short: string }[] = [
  { kind: "agent_lost", short: "Lost" },
  { kind: "task_retried", short: "Retried" },
  { kind: "task_dead", short: "Dead" },
  { kind: "server_restarted", short: "Restarts" },
];

/** Last-hour counts of the incidents an operator acts on; each links to the timeline, filtered. */
export function IncidentStrip() {
  const { data } = useIncidentCounts(60);
  return (
    <nav aria-label="Incidents in the last hour" data-testid="incident-strip" className="mb-5 flex flex-wrap items-center gap-x-1 gap-y-1 rounded-lg border border-line bg-surface px-2 py-1.5 text-sm">
      <Link href="/incidents" className="flex min-h-10 items-center px-1.5 font-medium hover:underline">
        Last hour
      </Link>
      <ul className="contents">
        {SHOWN.map(({ kind: k, short }) => {
          const meta = INCIDENT_KIND_META[k];
          const n = data?.[k];
          return (
            <li key={k}>
              <Link
                href={`/incidents?kind=${k}`}
                data-testid={`incident-strip-${k}`}
                data-value={n ?? ""}
                aria-label={`${meta.label}: ${n ?? "unknown"} in the last hour`}
                className={`flex min-h-10 items-center gap-1.5 rounded-md px-2 hover:bg-surface-2 ${n ? "" : "text-muted"}`}
              >
                <span className={`flex size-5 shrink-0 items-center justify-center rounded-full ${n ? meta.tone : "bg-surface-2"}`}>
                  <IncidentIcon kind={k} className="size-3" />
                </span>
                <span className="sm:hidden">{short}</span>
                <span className="hidden sm:inline">{meta.label}</span>
                <span className="font-semibold tabular-nums">{n ?? "–"}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
