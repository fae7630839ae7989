"use client";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useCan } from "@/lib/client/use-can";
import { useDeadLetters, useRequeueMany, type RequeueResult } from "@/lib/client/use-dead-letters";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { Button } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { Loading, PageHeader } from "@/components/panel";
import { DeadLetterRowItem } from "./dead-letter-row";
import { RequeueResults } from "./requeue-results";

const SEARCH_DEBOUNCE_MS = 300;

/**
 * Dead tasks, newest death first, each with its attempts' errors; operators requeue one, the
 * selected ones or every one shown. Requeued tasks leave the list as they go back to the queue;
 * tasks that die appear without a reload.
 */
export function DeadLetterBrowser({ initialSearch }: { initialSearch?: string }) {
  const [text, setText] = useState(initialSearch ?? "");
  const [search, setSearch] = useState(initialSearch);
  useEffect(() => {
    const next = text.trim() || undefined;
    if (next === search) return;
    const t = setTimeout(() => setSearch(next), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, search]);
  useFilterInUrl({ q: search });

  const list = useDeadLetters(search);
  const mayOperate = useCan("operate");
  const requeue = useRequeueMany();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<RequeueResult[] | null>(null);

  const shownIds = useMemo(() => list.rows.map((r) => r.task.id), [list.rows]);
  // Rows that left (requeued, or no longer matching) stop being selected.
  const chosen = useMemo(() => shownIds.filter((id) => selected.has(id)), [shownIds, selected]);
  const refused = useMemo(() => new Map((results ?? []).filter((r) => !r.ok).map((r) => [r.id, r.message])), [results]);

  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const requeueIds = async (ids: string[]) => {
    if (ids.length === 0) return;
    try {
      const answer = await requeue.mutateAsync(ids);
      setResults(answer);
      const done = new Set(answer.filter((r) => r.ok).map((r) => r.id));
      setSelected((prev) => new Set([...prev].filter((id) => !done.has(id))));
    } catch {
      // Shown from `requeue.error`.
    }
  };

  // A single row's answer joins the ones already shown.
  const onRowResult = useCallback((result: RequeueResult) => setResults((prev) => [...(prev ?? []).filter((r) => r.id !== result.id), result]), []);

  const allChosen = shownIds.length > 0 && chosen.length === shownIds.length;

  return (
    <>
      <PageHeader title="Dead letters" subtitle="Tasks whose last attempt was lost, stuck or timed out in the queue, newest first. Expand one for every attempt's error." />
      <input
        type="search"
        aria-label="Search dead tasks"
        placeholder="Search title, command or id"
        data-testid="dead-letter-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        className={`${inputClass} mb-3 md:max-w-md`}
      />
      {mayOperate && shownIds.length > 0 && (
        <div className="mb-3 flex flex-wrap items-center gap-2" data-testid="dead-letter-bulk">
          <label className="flex min-h-10 items-center gap-2 rounded-md border border-line bg-surface px-3 text-sm">
            <input type="checkbox" className="size-4" data-testid="dead-letter-select-all" checked={allChosen} onChange={(e) => setSelected(e.target.checked ? new Set(shownIds) : new Set())} />
            {chosen.length ? `${chosen.length} selected` : "Select all"}
          </label>
          <Button variant="primary" data-testid="requeue-selected" disabled={chosen.length === 0 || requeue.isPending} onClick={() => void requeueIds(chosen)}>
            {requeue.isPending ? "Requeueing…" : `Requeue selected${chosen.length ? ` (${chosen.length})` : ""}`}
          </Button>
          <ConfirmButton
            testId="requeue-all"
            question={`Requeue all ${shownIds.length} shown?`}
            confirmLabel="Yes, requeue"
            variant="primary"
            pending={requeue.isPending}
            onConfirm={() => void requeueIds(shownIds)}
          >
            Requeue all on this page
          </ConfirmButton>
        </div>
      )}
      <ErrorNotice error={requeue.error} title="Could not requeue" />
      {results && results.length > 0 && <RequeueResults results={results} onDismiss={() => setResults(null)} />}
      <ErrorNotice error={list.error} title="Could not load dead letters" />
      {list.isPending ? (
        <Loading label="Loading dead letters…" />
      ) : list.rows.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted" data-testid="dead-letters-empty">
          {search ? "No dead tasks match this search." : "No dead tasks. Tasks whose last attempt is lost end up here."}
        </p>
      ) : (
        <div className={`transition-opacity ${list.isPlaceholderData ? "opacity-60" : ""}`}>
          <ul className="space-y-2" data-testid="dead-letter-list">
            {list.rows.map((row) => (
              <DeadLetterRowItem key={row.task.id} row={row} mayOperate={mayOperate} selected={selected.has(row.task.id)} onSelect={toggle} refused={refused.get(row.task.id)} onResult={onRowResult} />
            ))}
          </ul>
          <div className="mt-4 flex justify-center">
            {list.hasNextPage ? (
              <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="load-more">
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <span className="text-xs text-muted">{list.rows.length} shown · end of list</span>
            )}
          </div>
        </div>
      )}
    </>
  );
}
