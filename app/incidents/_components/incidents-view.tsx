"use client";
import { useState } from "react";
import type { IncidentKind } from "@/lib/api";
import { INCIDENT_KINDS, isIncidentKind } from "@/lib/client/incident-patches";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { useIncidents } from "@/lib/client/use-incidents";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { INCIDENT_KIND_META } from "@/components/incident-kind";
import { PageHeader } from "@/components/panel";
import { PagedList } from "@/components/paged-list";
import { IncidentCounts } from "./incident-counts";
import { IncidentRow } from "./incident-row";

/** Counts per kind, then the timeline (newest on top; pushed incidents prepend live). */
export function IncidentsView({ initialKind }: { initialKind?: IncidentKind }) {
  const [kind, setKind] = useState<IncidentKind | undefined>(initialKind);
  useFilterInUrl({ kind });
  const list = useIncidents(kind);

  return (
    <>
      <PageHeader title="Incidents" subtitle="Agents lost and recovered, tasks retried, stuck or dead, server restarts. Newest first; new ones appear live." />
      <IncidentCounts selected={kind} onSelect={setKind} />
      <div className="mt-4 mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">Timeline</h2>
        <select
          aria-label="Kind"
          data-testid="incident-filter-kind"
          value={kind ?? ""}
          onChange={(e) => setKind(isIncidentKind(e.target.value) ? e.target.value : undefined)}
          className={`${inputClass} max-w-56`}
        >
          <option value="">All kinds</option>
          {INCIDENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {INCIDENT_KIND_META[k].label}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={list.error} title="Could not load incidents" />
      <PagedList
        items={list.incidents}
        query={list}
        noun="incidents"
        empty={kind ? `No “${INCIDENT_KIND_META[kind].label.toLowerCase()}” incidents recorded.` : "Nothing has gone wrong yet. Incidents appear here as they happen."}
        renderItem={(i) => <IncidentRow key={i.id} incident={i} />}
        testId="incident-list"
      />
    </>
  );
}
