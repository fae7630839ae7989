"use client";
// The decisions, newest first: the sentence, when, and the rule that settled it. A steady pool
// records one every 15 s, a change at once; the first ones show, the rest on demand.
import { useState } from "react";
import type { PoolDecisionView } from "@/lib/api/pools";
import { formatTimestamp } from "@/lib/client/format";
import { Button } from "@/components/button";
import { TimeAgo } from "@/components/time-ago";
import { RuleChip } from "@/components/pools/pool-badges";

const FIRST = 25;

export function DecisionLog({ decisions }: { decisions: readonly PoolDecisionView[] }) {
  const [all, setAll] = useState(false);
  if (decisions.length === 0) return <p className="text-sm text-muted">No decision in the last 30 minutes.</p>;
  const shown = all ? decisions : decisions.slice(0, FIRST);
  return (
    <div className="space-y-2">
      <ol className="divide-y divide-line" data-testid="decision-log">
        {shown.map((d) => (
          <li key={d.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 py-2 text-sm sm:flex-nowrap" data-testid="decision" data-from={d.from} data-to={d.to} data-rule={d.rule}>
            <TimeAgo at={d.at} className="w-16 shrink-0 text-xs text-muted tabular-nums" />
            <span className="min-w-0 flex-1 break-words" data-testid="decision-text">
              {d.text}
            </span>
            <span className="shrink-0" title={formatTimestamp(d.at)}>
              <RuleChip rule={d.rule} />
            </span>
          </li>
        ))}
      </ol>
      {decisions.length > FIRST && (
        <Button variant="ghost" onClick={() => setAll((v) => !v)} data-testid="decision-more">
          {all ? "Show the latest only" : `Show all ${decisions.length}`}
        </Button>
      )}
    </div>
  );
}
