"use client";
import Link from "next/link";
import { useState } from "react";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { useRunList, type RunFilter } from "@/lib/client/use-runs";
import { buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { PagedList } from "@/components/paged-list";
import { RunFilters } from "./run-filters";
import { RunListItem, RunTableHeader } from "./run-list-item";

export function RunBrowser({ initial }: { initial: RunFilter }) {
  const [filter, setFilter] = useState<RunFilter>(initial);
  useFilterInUrl({ status: filter.status, template: filter.template, q: filter.search });
  const list = useRunList(filter);
  const filtered = Boolean(filter.status || filter.template || filter.search);

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Workflow runs, newest first; progress updates live."
        actions={
          <IfCan permission="operate">
            <Link href="/workflows" className={buttonClass("primary")}>
              Start a run
            </Link>
          </IfCan>
        }
      />
      <RunFilters value={filter} onChange={setFilter} />
      <ErrorNotice error={list.error} title="Could not load runs" />
      <PagedList
        items={list.runs}
        query={list}
        noun="runs"
        empty={filtered ? "No runs match these filters." : "No runs yet. Start one from a workflow template."}
        header={<RunTableHeader />}
        renderItem={(r) => <RunListItem key={r.id} run={r} />}
        testId="run-list"
      />
    </>
  );
}
