"use client";
import { useDeferredValue, useState } from "react";
import { Button } from "@/components/button";
import type { AgentStatus } from "@/lib/api";
import { AGENT_STATUSES, useAgentList, useFilteredAgents } from "@/lib/client/use-agents";
import { inputClass } from "@/components/field";
import { ErrorNotice } from "@/components/error-notice";
import { Loading } from "@/components/panel";
import { AGENT_STATUS_TONE } from "@/components/status-badge";
import { AgentTile } from "./agent-tile";
import { FleetEmptyState } from "./fleet-empty-state";

const FILTERS: (AgentStatus | "all")[] = ["all", ...AGENT_STATUSES];
/**
 * Tiles drawn at first, and added per "Show more". A phone shows about four tiles a screen; a
 * thousand tiles are a thousand React components to hydrate and keep live, seconds of main-thread
 * work on a phone, for tiles nobody scrolls to. The counts and filters cover the whole fleet.
 */
export const GRID_PAGE = 60;

/** The live agent status grid with its status and name filters. */
export function AgentGrid() {
  const { data: agents, error, isPending } = useAgentList();
  const [status, setStatus] = useState<AgentStatus | "all">("all");
  const [text, setText] = useState("");
  // Typing stays responsive while 500 tiles re-filter in the background.
  const deferredText = useDeferredValue(text);
  const { visible, counts } = useFilteredAgents(agents, { status, text: deferredText });
  const [limit, setLimit] = useState(GRID_PAGE);
  const shown = visible.length > limit ? visible.slice(0, limit) : visible;

  if (isPending) return <Loading label="Loading agents…" />;
  if (error) return <ErrorNotice error={error} title="Could not load agents" />;
  if (agents.length === 0) return <FleetEmptyState />;

  return (
    <section aria-label="Agents">
      <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <div role="radiogroup" aria-label="Filter by status" className="flex flex-wrap gap-1">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="radio"
              aria-checked={status === f}
              data-testid={`agent-filter-${f}`}
              onClick={() => {
                setStatus(f);
                setLimit(GRID_PAGE);
              }}
              className={`flex min-h-10 items-center gap-1.5 rounded-md border px-3 text-sm capitalize ${status === f ? "border-accent bg-surface-2 font-medium" : "border-line bg-surface text-muted hover:text-fg"}`}
            >
              {f !== "all" && <span aria-hidden className={`size-2 rounded-full ${AGENT_STATUS_TONE[f].bar}`} />}
              {f}
              <span className="text-xs text-muted tabular-nums">{counts[f]}</span>
            </button>
          ))}
        </div>
        <input
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setLimit(GRID_PAGE);
          }}
          placeholder="Filter by name"
          aria-label="Filter agents by name"
          data-testid="agent-name-filter"
          className={`${inputClass} sm:max-w-64`}
        />
      </div>
      {visible.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted">No agents match these filters.</p>
      ) : (
        <>
          <ul data-testid="agent-grid" className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
            {shown.map((a) => (
              <AgentTile key={a.id} agent={a} />
            ))}
          </ul>
          {shown.length < visible.length && (
            <div className="mt-4 flex flex-wrap items-center justify-center gap-2">
              <span className="text-xs text-muted tabular-nums" data-testid="agent-grid-shown">
                {shown.length} of {visible.length} shown
              </span>
              <Button onClick={() => setLimit((l) => l + GRID_PAGE)} data-testid="agent-grid-more">
                Show {Math.min(GRID_PAGE, visible.length - shown.length)} more
              </Button>
              <Button onClick={() => setLimit(Infinity)} data-testid="agent-grid-all">
                Show all {visible.length}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
