"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useRunList, type RunFilter } from "@/lib/client/use-runs";
import { Button, buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader } from "@/components/panel";
import { RunFilters } from "./run-filters";
import { RunListItem, RunTableHeader } from "./run-list-item";

/** Keeps the filter in the address bar so a filtered list can be bookmarked or shared. */
function useFilterInUrl(filter: RunFilter) {
  useEffect(() => {
    const params = new URLSearchParams();
    if (filter.status) params.set("status", filter.status);
    if (filter.template) params.set("template", filter.template);
    if (filter.search) params.set("q", filter.search);
    const qs = params.toString();
    const url = qs ? `${window.location.pathname}?${qs}` : window.location.pathname;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
  }, [filter.status, filter.template, filter.search]);
}

export function RunBrowser({ initial }: { initial: RunFilter }) {
  const [filter, setFilter] = useState<RunFilter>(initial);
  useFilterInUrl(filter);
  const { runs, error, isPending, isPlaceholderData, hasNextPage, fetchNextPage, isFetchingNextPage } = useRunList(filter);
  const filtered = Boolean(filter.status || filter.template || filter.search);

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Workflow runs, newest first; progress updates live."
        actions={
          <Link href="/workflows" className={buttonClass("primary")}>
            Start a run
          </Link>
        }
      />
      <RunFilters value={filter} onChange={setFilter} />
      <ErrorNotice error={error} title="Could not load runs" />
      {isPending ? (
        <Loading label="Loading runs…" />
      ) : runs.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted" data-testid="runs-empty">
          {filtered ? "No runs match these filters." : "No runs yet. Start one from a workflow template."}
        </p>
      ) : (
        <div className={`transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`}>
          <RunTableHeader />
          <ul className="space-y-2 md:space-y-0 md:rounded-lg md:border md:border-line md:bg-surface" data-testid="run-list">
            {runs.map((r) => (
              <RunListItem key={r.id} run={r} />
            ))}
          </ul>
          <div className="mt-4 flex justify-center">
            {hasNextPage ? (
              <Button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} data-testid="load-more">
                {isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <span className="text-xs text-muted">{runs.length} shown · end of list</span>
            )}
          </div>
        </div>
      )}
    </>
  );
}
