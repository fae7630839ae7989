"use client";
import { useMemo, useState } from "react";
import { useAuditLog, type AuditFilter } from "@/lib/client/use-audit";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { useUsers } from "@/lib/client/use-users";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { PagedList } from "@/components/paged-list";
import { TimeAgo } from "@/components/time-ago";
import { AuditFilters } from "./audit-filters";
import { AuditRow } from "./audit-row";

export function AuditBrowser({ initial }: { initial: AuditFilter }) {
  const [filter, setFilter] = useState<AuditFilter>(initial);
  useFilterInUrl({ actor: filter.actor, action: filter.action, outcome: filter.outcome, q: filter.search });
  const log = useAuditLog(filter);
  const { data: users } = useUsers();
  const actors = useMemo(() => (users ?? []).map((u) => u.username), [users]);
  const filtered = Boolean(filter.actor || filter.action || filter.outcome || filter.search);

  return (
    <>
      <AuditFilters value={filter} onChange={setFilter} actors={actors} />
      <div className="mb-2 flex items-center justify-between gap-2 text-xs text-muted">
        <span>{log.dataUpdatedAt ? <>Loaded <TimeAgo at={log.dataUpdatedAt} /></> : null}</span>
        <Button onClick={() => void log.refetch()} disabled={log.isFetching} data-testid="audit-refresh">
          {log.isFetching && !log.isFetchingNextPage ? "Refreshing…" : "Refresh"}
        </Button>
      </div>
      <ErrorNotice error={log.error} title="Could not load the audit log" />
      <PagedList
        items={log.entries}
        query={log}
        noun="entries"
        empty={filtered ? "No entries match these filters." : "Nothing recorded yet."}
        renderItem={(e) => <AuditRow key={e.id} entry={e} />}
        testId="audit-list"
      />
    </>
  );
}
