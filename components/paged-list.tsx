"use client";
import type { ReactNode } from "react";
import { Button } from "@/components/button";
import { Loading } from "@/components/panel";

/** A newest-first list fed by an infinite query: loading, empty, rows and "load more". */
export function PagedList<T extends { id: string | number }>({
  items,
  query,
  noun,
  empty,
  header,
  renderItem,
  testId,
}: {
  items: T[];
  query: { isPending: boolean; isPlaceholderData: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  /** Plural, for "Loading tasks…". */
  noun: string;
  empty: string;
  header?: ReactNode;
  renderItem: (item: T) => ReactNode;
  /** `task-list` → rows in `task-list`, empty text in `tasks-empty`. */
  testId: string;
}) {
  if (query.isPending) return <Loading label={`Loading ${noun}…`} />;
  if (items.length === 0) {
    return (
      <p className="py-10 text-center text-sm text-muted" data-testid={`${noun}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <div className={`transition-opacity ${query.isPlaceholderData ? "opacity-60" : ""}`}>
      {header}
      <ul className="space-y-2 md:space-y-0 md:rounded-lg md:border md:border-line md:bg-surface" data-testid={testId}>
        {items.map(renderItem)}
      </ul>
      <div className="mt-4 flex justify-center">
        {query.hasNextPage ? (
          <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} data-testid="load-more">
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        ) : (
          <span className="text-xs text-muted">{items.length} shown · end of list</span>
        )}
      </div>
    </div>
  );
}
