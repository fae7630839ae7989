"use client";
// One pool, live: the last half hour of its decisions as a chart, the decision log, its agents,
// the policy in words; operators change min and max or pause it, admins delete it.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { errorCode } from "@/lib/client/error-message";
import { POOLS_REFRESH_MS, usePool, usePoolDecisions } from "@/lib/client/use-pools";
import { buttonClass } from "@/components/button";
import { CapabilityChips, LabelChips } from "@/components/capability-chips";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { BoundsBar } from "@/components/pools/bounds-bar";
import { PoolBadges } from "@/components/pools/pool-badges";
import { CHART_WINDOW_MS } from "@/components/pools/pool-chart";
import { describePolicy } from "@/components/pools/pool-policy";
import { BoundsForm } from "./bounds-form";
import { DecisionLog } from "./decision-log";
import { DeletePool } from "./delete-pool";
import { PoolAgents } from "./pool-agents";
import { ScalingChart } from "./scaling-chart";

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-xl font-semibold tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function PoolDetailView({ name }: { name: string }) {
  const pool = usePool(name);
  const [opened] = useState(() => Date.now());
  const now = Math.max(opened, pool.dataUpdatedAt);
  // Rounded down to the minute: the decisions query keeps its key (and cache entry) for a minute.
  const since = Math.floor((now - CHART_WINDOW_MS) / 60_000) * 60_000;
  const decisions = usePoolDecisions(name, since);

  if (pool.isPending) return <Loading label="Loading the pool…" />;
  if (pool.error || !pool.data) {
    return (
      <div className="space-y-4">
        <ErrorNotice error={errorCode(pool.error) === "NOT_FOUND" ? `There is no pool called ${name}: it was deleted, or the address is wrong.` : pool.error} />
        <Link href="/pools" className={buttonClass("secondary")}>
          Back to the pools
        </Link>
      </div>
    );
  }
  const p = pool.data;
  const list = decisions.data?.decisions ?? [];
  return (
    <div className="space-y-4" data-testid="pool-detail" data-pool={p.name} data-current={p.current} data-desired={p.desired} data-max={p.policy.max} data-min={p.policy.min} data-enabled={p.enabled}>
      <PageHeader
        title={<span className="font-mono">{p.name}</span>}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <span className="rounded border border-line bg-surface-2 px-1.5 py-0.5 text-xs text-fg">{p.provider}</span>
            <PoolBadges pool={p} />
            <span>Refreshes every {POOLS_REFRESH_MS / 1000} s.</span>
            <Link href="/pools" className="text-accent underline">
              All pools
            </Link>
          </span>
        }
        actions={
          <IfCan permission="admin">
            <DeletePool pool={p} />
          </IfCan>
        }
      />
      <Panel>
        <div className="space-y-3">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Figure label="Agents now" testId="pool-current">
              {p.current}
            </Figure>
            <Figure label="Desired" testId="pool-desired">
              {p.desired}
              {p.last && p.last.wanted !== p.desired && <span className="ml-1.5 text-sm font-normal text-muted">wanted {p.last.wanted}</span>}
            </Figure>
            <Figure label="Backlog (tasks)" testId="pool-backlog">
              {p.backlog}
            </Figure>
            <Figure label="Busy slots" testId="pool-busy">
              {p.busySlots}
            </Figure>
          </dl>
          <div className="flex items-center gap-3">
            <span className="text-sm text-muted tabular-nums whitespace-nowrap">min {p.policy.min}</span>
            <BoundsBar current={p.current} desired={p.desired} min={p.policy.min} max={p.policy.max} />
            <span className="text-sm text-muted tabular-nums whitespace-nowrap">max {p.policy.max}</span>
          </div>
          <p className="text-sm break-words" data-testid="pool-last" aria-live="polite">
            {p.last ? p.last.text : <span className="text-muted">No decision yet.</span>}
          </p>
        </div>
      </Panel>
      <div className="grid min-w-0 gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] lg:items-start">
        <Panel title="Last 30 minutes" testId="pool-chart-panel">
          <ErrorNotice error={decisions.error} title="Could not load the decisions" />
          <ScalingChart pool={p} decisions={list} now={now} />
        </Panel>
        <div className="min-w-0 space-y-4">
          <IfCan permission="operate">
            <Panel title="Bounds" testId="pool-bounds-panel">
              <BoundsForm pool={p} />
            </Panel>
          </IfCan>
          <Panel title="Policy" testId="pool-policy">
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {describePolicy(p.policy, p.card.slots, p.enabled).map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <dl className="mt-3 grid gap-2 text-sm">
              <div className="min-w-0">
                <dt className="text-xs text-muted">Capabilities</dt>
                <dd className="mt-0.5">
                  <CapabilityChips items={p.card.capabilities} />
                </dd>
              </div>
              <div className="min-w-0">
                <dt className="text-xs text-muted">Labels</dt>
                <dd className="mt-0.5">
                  <LabelChips labels={{ ...p.card.labels, pool: p.name }} />
                </dd>
              </div>
            </dl>
          </Panel>
        </div>
      </div>
      <div className="grid min-w-0 gap-4 lg:grid-cols-2 lg:items-start">
        <Panel title={`Agents (${p.instances.length})`} testId="pool-agents">
          <PoolAgents pool={p} />
        </Panel>
        <Panel title="Decisions" testId="pool-decisions">
          {decisions.isPending ? <Loading label="Loading the decisions…" /> : <DecisionLog decisions={list} />}
        </Panel>
      </div>
    </div>
  );
}
