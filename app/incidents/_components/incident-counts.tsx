"use client";
import type { IncidentKind } from "@/lib/api";
import { INCIDENT_KINDS } from "@/lib/client/incident-patches";
import { useIncidentCounts } from "@/lib/client/use-incidents";
import { ErrorNotice } from "@/components/error-notice";
import { INCIDENT_KIND_META, IncidentIcon } from "@/components/incident-kind";

const HOUR = 60;
const DAY = 24 * 60;

/** How many of each kind in the last hour and day; a card filters the timeline to its kind. */
export function IncidentCounts({ selected, onSelect }: { selected?: IncidentKind; onSelect: (kind: IncidentKind | undefined) => void }) {
  const hour = useIncidentCounts(HOUR);
  const day = useIncidentCounts(DAY);
  return (
    <section aria-label="Incidents per kind">
      <ErrorNotice error={hour.error ?? day.error} title="Could not load incident counts" />
      <ul className="grid grid-cols-2 gap-1.5 sm:grid-cols-3 sm:gap-2">
        {INCIDENT_KINDS.map((k) => {
          const meta = INCIDENT_KIND_META[k];
          const h = hour.data?.[k];
          const d = day.data?.[k];
          const active = selected === k;
          return (
            <li key={k} className="min-w-0">
              <button
                type="button"
                aria-pressed={active}
                data-testid={`incident-count-${k}`}
                data-hour={h ?? ""}
                data-day={d ?? ""}
                title={active ? "Show all kinds" : `Show only “${meta.label.toLowerCase()}”`}
                onClick={() => onSelect(active ? undefined : k)}
                className={`block w-full min-w-0 rounded-lg border px-2 py-2 text-left sm:px-3 sm:py-2.5 ${active ? "border-accent bg-surface-2" : "border-line bg-surface hover:bg-surface-2"}`}
              >
                <span className="flex min-w-0 items-center gap-1.5 text-xs font-medium text-muted">
                  <span className={`flex size-5 shrink-0 items-center justify-center rounded-full ${meta.tone}`}>
                    <IncidentIcon kind={k} className="size-3" />
                  </span>
                  <span className="truncate">{meta.label}</span>
                </span>
                <span className="mt-1 flex flex-wrap items-baseline gap-x-1.5">
                  <span className={`text-xl font-semibold tabular-nums ${h ? "" : "text-muted"}`}>{h ?? "–"}</span>
                  <span className="text-xs text-muted">last hour</span>
                  <span className="ml-auto text-sm tabular-nums">
                    {d ?? "–"} <span className="text-xs text-muted">24 h</span>
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
