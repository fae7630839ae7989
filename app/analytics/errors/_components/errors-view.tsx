"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { INSIGHT_RANGES, type InsightRange } from "@/lib/api";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { Loading, PageHeader } from "@/components/panel";
import { csvHref } from "@/components/insight/csv";
import { CsvLink } from "@/components/insight/csv-link";
import { ERROR_FILTER_STATUSES, formatNumber, RANGE_LABEL, type ErrorFilterStatus } from "@/components/insight/format";
import { Segmented } from "@/components/insight/segmented";
import { SimulatedBanner } from "@/components/insight/simulated-banner";
import { INSIGHT_REFRESH_MS, useErrorGroups } from "@/components/insight/use-insight";
import { ErrorGroupCard } from "./error-group-card";

const SEARCH_DEBOUNCE_MS = 300;
const RANGE_OPTIONS = INSIGHT_RANGES.map((r) => ({ value: r, label: RANGE_LABEL[r].short }));
const STATUS_OPTIONS = ERROR_FILTER_STATUSES.map((s) => ({ value: s, label: s }));

export interface ErrorsFilter {
  range: InsightRange;
  status: ErrorFilterStatus;
  search?: string;
}

/** Failures grouped by fingerprint, with their trend, spread and likely causes; operators resolve or ignore them. */
export function ErrorsView({ initial }: { initial: ErrorsFilter }) {
  const [range, setRange] = useState(initial.range);
  const [status, setStatus] = useState(initial.status);
  const [text, setText] = useState(initial.search ?? "");
  const [search, setSearch] = useState(initial.search);
  useEffect(() => {
    const next = text.trim() || undefined;
    if (next === search) return;
    const t = setTimeout(() => setSearch(next), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, search]);
  useFilterInUrl({ range: range === "24h" ? undefined : range, status: status === "open" ? undefined : status, q: search });
  const query = useErrorGroups({ range, status, search });
  const data = query.data;

  return (
    <>
      <PageHeader
        title="Errors"
        subtitle={
          <>
            Failures grouped by what they say (numbers, ids, paths and hosts set aside), over {RANGE_LABEL[range].long}. Refreshes every {INSIGHT_REFRESH_MS / 1000} s.{" "}
            <Link href="/analytics" className="text-accent underline">
              Analytics
            </Link>
          </>
        }
        actions={<CsvLink href={csvHref("errors", { range, status, search })} what="the error groups" testId="csv-errors" />}
      />
      <SimulatedBanner simulated={data?.simulated} />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Segmented label="Status" options={STATUS_OPTIONS} value={status} onChange={setStatus} testPrefix="error-status" />
        <Segmented label="Range" options={RANGE_OPTIONS} value={range} onChange={setRange} testPrefix="range" />
        <input
          type="search"
          aria-label="Search errors"
          placeholder="Search by message or fingerprint"
          data-testid="error-search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className={`${inputClass} min-w-48 flex-1 md:max-w-sm`}
        />
      </div>
      {data && (
        <p className="mb-3 text-sm text-muted" data-testid="error-totals" data-open={data.totals.open} data-failures={data.totals.failuresInRange}>
          <span className="font-medium text-fg tabular-nums">{formatNumber(data.totals.failuresInRange)}</span> failures in {RANGE_LABEL[data.range].long} ·{" "}
          <span className="tabular-nums">{data.totals.open}</span> open · <span className="tabular-nums">{data.totals.resolved}</span> resolved · <span className="tabular-nums">{data.totals.ignored}</span> ignored
        </p>
      )}
      <ErrorNotice error={query.error} title="Could not load errors" />
      {query.isPending ? (
        <Loading label="Loading errors…" />
      ) : data ? (
        data.groups.length === 0 ? (
          <p className="rounded-md border border-line bg-surface px-3 py-6 text-center text-sm text-muted" data-testid="error-groups-empty">
            {search ? `No ${status === "all" ? "" : `${status} `}error group matches “${search}”.` : status === "open" ? `No open errors in ${RANGE_LABEL[data.range].long}. Failures appear here grouped, as they happen.` : `No ${status === "all" ? "" : `${status} `}error groups in ${RANGE_LABEL[data.range].long}.`}
          </p>
        ) : (
          <ul className="space-y-3" data-testid="error-groups" aria-busy={query.isPlaceholderData || undefined}>
            {data.groups.map((g) => (
              <ErrorGroupCard key={g.id} group={g} range={data.range} />
            ))}
          </ul>
        )
      ) : null}
    </>
  );
}
