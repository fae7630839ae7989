"use client";
// Every pool at a glance: how many agents it has and wants against min–max, what waits for it,
// whether it is at its maximum or crashing, and the last thing it decided. Admins add pools.
import Link from "next/link";
import { useState } from "react";
import type { PoolView } from "@/lib/api/pools";
import { POOLS_REFRESH_MS, usePools } from "@/lib/client/use-pools";
import { useCan } from "@/lib/client/use-can";
import { Button } from "@/components/button";
import { CapabilityChips } from "@/components/capability-chips";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";
import { BoundsBar } from "@/components/pools/bounds-bar";
import { PoolBadges } from "@/components/pools/pool-badges";
import { NewPoolForm } from "./new-pool-form";

export function PoolsView() {
  const pools = usePools();
  const isAdmin = useCan("admin");
  const [creating, setCreating] = useState(false);
  const list = pools.data?.pools ?? [];
  return (
    <div className="space-y-4">
      <PageHeader
        title="Pools"
        subtitle={<>Sets of identical agents Switchboard starts and stops itself, scaled on their backlog (and, if asked, the capacity forecast). Refreshes every {POOLS_REFRESH_MS / 1000} s. API: /api/v1/pools.</>}
        actions={
          isAdmin && !creating ? (
            <Button variant="primary" onClick={() => setCreating(true)} data-testid="pool-new">
              New pool
            </Button>
          ) : null
        }
      />
      {creating && <NewPoolForm onDone={() => setCreating(false)} />}
      <ErrorNotice error={pools.error} title="Could not load the pools" />
      {pools.isPending ? (
        <Loading label="Loading pools…" />
      ) : list.length === 0 ? (
        <p className="rounded-md border border-line bg-surface px-3 py-6 text-center text-sm text-muted" data-testid="pools-empty">
          No pools yet.{isAdmin ? " Make one with New pool, or POST /api/v1/pools." : " An admin makes them."}
        </p>
      ) : (
        <ul className="grid gap-3 lg:grid-cols-2" data-testid="pool-list">
          {list.map((p) => (
            <PoolItem key={p.id} pool={p} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="flex items-baseline gap-1">
      <dt className="text-muted">{label}</dt>
      <dd className="font-medium tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function PoolItem({ pool: p }: { pool: PoolView }) {
  return (
    <li className="min-w-0 rounded-lg border border-line bg-surface" data-testid="pool-row" data-pool={p.name} data-current={p.current} data-at-max={p.atMax || undefined}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-line px-4 py-2.5">
        <Link href={`/pools/${encodeURIComponent(p.name)}`} className="min-w-0 font-mono text-base font-semibold break-all text-accent hover:underline" data-testid="pool-link">
          {p.name}
        </Link>
        <span className="rounded border border-line bg-surface-2 px-1.5 py-0.5 text-xs" data-testid="pool-provider">
          {p.provider}
        </span>
        <span className="ml-auto flex flex-wrap gap-1">
          <PoolBadges pool={p} />
        </span>
      </div>
      <div className="space-y-2.5 px-4 py-3">
        <div className="space-y-1.5">
          <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
            <span>
              <span className="text-lg font-semibold tabular-nums" data-testid="pool-current">
                {p.current}
              </span>{" "}
              {p.current === 1 ? "agent" : "agents"}
            </span>
            <span className="text-muted">
              · <span data-testid="pool-desired">{p.desired}</span> desired
            </span>
            <span className="ml-auto text-muted tabular-nums" data-testid="pool-bounds">
              min {p.policy.min} – max {p.policy.max}
            </span>
          </p>
          <BoundsBar current={p.current} desired={p.desired} min={p.policy.min} max={p.policy.max} />
        </div>
        <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Stat label="backlog" value={p.backlog} testId="pool-backlog" />
          <Stat label="busy slots" value={p.busySlots} testId="pool-busy" />
          <Stat label="slots per agent" value={p.card.slots} testId="pool-slots" />
        </dl>
        <CapabilityChips items={p.card.capabilities} empty="no capabilities" />
        <p className="text-sm break-words" data-testid="pool-last">
          {p.last ? (
            <>
              {p.last.text} <TimeAgo at={p.last.at} className="text-xs text-muted" />
            </>
          ) : (
            <span className="text-muted">No decision yet.</span>
          )}
        </p>
      </div>
    </li>
  );
}
