"use client";
import { useEffect, useMemo, useState } from "react";
import { inputClass } from "@/components/field";
import { filterGroups, findOperation, type ApiReference, type TagGroup } from "./api-reference";
import { MethodChip } from "./method-chip";
import { OperationCard } from "./operation-card";

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The operations beside the list on a wide screen: each links to its anchor. */
function OperationIndex({ groups, basePath }: { groups: TagGroup[]; basePath: string }) {
  return (
    <nav aria-label="Operations" className="sticky top-20 max-h-[calc(100dvh-6rem)] overflow-y-auto pr-1 pb-4" data-testid="api-index">
      {groups.map((g) => (
        <div key={g.id} className="mb-4">
          <a href={`#${g.id}`} className="mb-1 block text-xs font-semibold tracking-wide text-muted uppercase hover:text-fg">
            {g.name}
          </a>
          <ul className="space-y-px">
            {g.operations.map((op) => (
              <li key={op.id}>
                <a href={`#${op.id}`} className="flex items-start gap-2 rounded px-1.5 py-1 hover:bg-surface-2" title={op.summary}>
                  <MethodChip method={op.method} size="sm" />
                  <span className="min-w-0 font-mono text-xs break-all">{basePath && op.path.startsWith(basePath) ? op.path.slice(basePath.length) : op.path}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/**
 * The operations by tag, a search over them, and anchors: `/api#claim` (or a click in the index)
 * opens that operation and scrolls to it; opening one puts its anchor in the address bar.
 */
export function OperationBrowser({ reference }: { reference: ApiReference }) {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const groups = useMemo(() => filterGroups(reference.groups, query), [reference, query]);
  const total = useMemo(() => reference.groups.reduce((n, g) => n + g.operations.length, 0), [reference]);
  const shown = groups.reduce((n, g) => n + g.operations.length, 0);

  useEffect(() => {
    const follow = () => {
      const op = findOperation(reference.groups, window.location.hash);
      if (!op) return;
      // A search that hides the operation would make the link lead nowhere.
      setQuery((q) => (findOperation(filterGroups(reference.groups, q), op.id) ? q : ""));
      setOpen((o) => (o.has(op.id) ? o : new Set(o).add(op.id)));
      requestAnimationFrame(() => document.getElementById(op.id)?.scrollIntoView({ block: "start" }));
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [reference]);

  const toggle = (id: string) => {
    const opening = !open.has(id);
    setOpen((o) => {
      const next = new Set(o);
      if (opening) next.add(id);
      else next.delete(id);
      return next;
    });
    if (opening) window.history.replaceState(null, "", `#${id}`);
    else if (window.location.hash === `#${id}`) window.history.replaceState(null, "", window.location.pathname + window.location.search);
  };

  return (
    <div className="lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-8">
      <aside className="hidden lg:block">
        <OperationIndex groups={groups} basePath={reference.basePath} />
      </aside>
      <div className="min-w-0">
        <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            type="search"
            aria-label="Search operations"
            placeholder="Search by path, summary or tag"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="api-search"
            className={`${inputClass} sm:max-w-md`}
          />
          <p role="status" className="text-sm text-muted" data-testid="api-count">
            {query.trim() ? `${shown} of ${total} operations` : `${total} operations`}
          </p>
        </div>
        {/* On narrower screens the tags are a row of jumps instead of the index. */}
        {groups.length > 1 && (
          <nav aria-label="Tags" className="mb-4 flex flex-wrap gap-1.5 lg:hidden">
            {groups.map((g) => (
              <a key={g.id} href={`#${g.id}`} className="inline-flex min-h-8 items-center rounded-full border border-line bg-surface px-3 text-xs font-medium hover:bg-surface-2">
                {g.name}
                <span className="ml-1.5 text-muted">{g.operations.length}</span>
              </a>
            ))}
          </nav>
        )}
        {groups.length === 0 ? (
          <p className="rounded-md border border-line bg-surface px-3 py-6 text-center text-sm text-muted" data-testid="api-no-match">
            No operation matches “{query.trim()}”. Search by a path (<code className="font-mono">/tasks</code>), a word of a summary or a tag.
          </p>
        ) : (
          <div className="space-y-8">
            {groups.map((g) => (
              <section key={g.id} aria-labelledby={g.id} data-testid="api-tag" data-tag={g.name}>
                <h2 id={g.id} className="mb-2 scroll-mt-20 text-base font-semibold">
                  {sentenceCase(g.name)}
                </h2>
                {g.description && <p className="mb-2 text-sm text-muted">{g.description}</p>}
                <ul className="space-y-2">
                  {g.operations.map((op) => (
                    <li key={op.id}>
                      <OperationCard op={op} open={open.has(op.id)} onToggle={() => toggle(op.id)} schemas={reference.schemas} />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
