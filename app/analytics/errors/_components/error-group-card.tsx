"use client";
import Link from "next/link";
import { memo } from "react";
import type { ErrorGroupView, InsightRange } from "@/lib/api";
import { formatTimestamp } from "@/lib/client/format";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { TimeAgo } from "@/components/time-ago";
import { formatNumber, formatPct, RANGE_LABEL, topCounted } from "@/components/insight/format";
import { TrendSparkline } from "@/components/insight/trend-sparkline";
import { useSetErrorStatus } from "@/components/insight/use-insight";

const AFFECTED: { key: keyof ErrorGroupView["affected"]; label: string }[] = [
  { key: "agents", label: "Agents" },
  { key: "capabilities", label: "Capabilities" },
  { key: "templates", label: "Templates" },
  { key: "versions", label: "Agent versions" },
  { key: "labels", label: "Labels" },
];

const STATUS_TONE: Record<ErrorGroupView["status"], string> = {
  open: "bg-red-500/15 text-red-800 dark:text-red-300",
  resolved: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  ignored: "bg-surface-2 text-muted",
};

/**
 * One error group: what it says, how often in the range and over time, where it happens, what
 * the data suggests as its cause, and its sample log and recent occurrences behind a disclosure.
 * Messages and logs come from agents, so they are text.
 */
export const ErrorGroupCard = memo(function ErrorGroupCard({ group: g, range }: { group: ErrorGroupView; range: InsightRange }) {
  const trendLabel = `${formatNumber(g.countInRange)} in ${RANGE_LABEL[range].long}, ${g.trend.length} slots, at most ${formatNumber(Math.max(0, ...g.trend))} in one`;
  return (
    <li data-testid="error-group" data-id={g.id} data-status={g.status} data-count-in-range={g.countInRange} data-regression={g.reopenedAt != null || undefined} className="min-w-0 rounded-lg border border-line bg-surface">
      <div className="grid min-w-0 gap-3 px-3 py-3 sm:px-4 md:grid-cols-[minmax(0,1fr)_auto]">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {g.reopenedAt != null && (
              <span className="inline-flex items-center gap-1 rounded bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white" data-testid="error-regression" title={`Came back ${formatTimestamp(g.reopenedAt)} after it was resolved`}>
                Regression
                <span className="font-normal">
                  · back <TimeAgo at={g.reopenedAt} />
                </span>
              </span>
            )}
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_TONE[g.status]}`} data-testid="error-status-badge">
              {g.status}
              {g.status !== "open" && g.statusBy ? ` by ${g.statusBy}` : ""}
            </span>
            <span className="font-mono text-[11px] text-muted" title="fingerprint">
              {g.id}
            </span>
          </div>
          <h2 className="mt-1 font-mono text-sm font-medium break-words" data-testid="error-title">
            {g.title}
          </h2>
          <dl className="mt-1.5 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-muted">
            <div className="flex gap-1">
              <dt>first seen</dt>
              <dd>
                <TimeAgo at={g.firstSeen} />
              </dd>
            </div>
            <div className="flex gap-1">
              <dt>last seen</dt>
              <dd>
                <TimeAgo at={g.lastSeen} />
              </dd>
            </div>
            <div className="flex gap-1">
              <dt>in all</dt>
              <dd className="tabular-nums">{formatNumber(g.count)}</dd>
            </div>
          </dl>
          <dl className="mt-1.5 grid gap-x-4 gap-y-0.5 text-sm sm:grid-cols-2" data-testid="error-top-affected">
            <div className="flex min-w-0 gap-1.5">
              <dt className="shrink-0 text-muted">agents</dt>
              <dd className="min-w-0 break-words">{topCounted(g.affected.agents)}</dd>
            </div>
            <div className="flex min-w-0 gap-1.5">
              <dt className="shrink-0 text-muted">capabilities</dt>
              <dd className="min-w-0 break-words">{topCounted(g.affected.capabilities)}</dd>
            </div>
          </dl>
          {g.causes.length > 0 && (
            <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Likely causes" data-testid="error-causes">
              {g.causes.map((c) => (
                <li key={`${c.kind}-${c.message}`} data-kind={c.kind} className="max-w-full rounded-full border border-amber-500/50 bg-amber-100 px-2.5 py-0.5 text-xs font-medium break-words text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                  <span className="sr-only">Likely cause: </span>
                  {c.message}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="flex min-w-0 flex-wrap items-start justify-between gap-3 md:flex-col md:items-end">
          <div className="text-right">
            <div className="text-2xl leading-none font-semibold tabular-nums" data-testid="error-count-in-range">
              {formatNumber(g.countInRange)}
            </div>
            <div className="text-xs text-muted">in {RANGE_LABEL[range].short}</div>
          </div>
          <TrendSparkline counts={g.trend} label={`Trend: ${trendLabel}`} />
          <IfCan permission="operate">
            <StatusButtons group={g} />
          </IfCan>
        </div>
      </div>
      <details className="border-t border-line">
        <summary className="flex min-h-10 cursor-pointer items-center px-3 text-sm text-accent select-none sm:px-4" data-testid="error-group-toggle">
          Sample, log and occurrences
        </summary>
        <div className="space-y-4 px-3 pb-4 sm:px-4" data-testid="error-detail">
          <section>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Sample error</h3>
            <pre className="overflow-x-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-words whitespace-pre-wrap" data-testid="error-sample">
              {g.sample}
            </pre>
          </section>
          <section>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Last log lines</h3>
            {g.sampleLog.length === 0 ? (
              <p className="text-sm text-muted">The task logged nothing before it failed.</p>
            ) : (
              <pre className="overflow-x-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-words whitespace-pre-wrap" data-testid="error-sample-log">
                {g.sampleLog.map((l, i) => (
                  <div key={i} className={l.stream === "stderr" ? "text-red-700 dark:text-red-300" : ""}>
                    <span className="text-muted select-none">{l.stream === "stderr" ? "err " : "out "}</span>
                    {l.line}
                  </div>
                ))}
              </pre>
            )}
          </section>
          <section>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Affected</h3>
            <dl className="grid grid-cols-2 gap-3 text-sm lg:grid-cols-5" data-testid="error-affected">
              {AFFECTED.map((a) => (
                <div key={a.key} className="min-w-0">
                  <dt className="text-xs text-muted">{a.label}</dt>
                  <dd>
                    {g.affected[a.key].length === 0 ? (
                      <span className="text-muted">—</span>
                    ) : (
                      <ul>
                        {g.affected[a.key].map((c) => (
                          <li key={c.key} className="flex min-w-0 justify-between gap-2">
                            <span className="min-w-0 break-all">{c.key}</span>
                            <span className="shrink-0 text-muted tabular-nums">{c.count}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          <section>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Recent occurrences</h3>
            {g.recent.length === 0 ? (
              <p className="text-sm text-muted">None kept for this range.</p>
            ) : (
              <ul className="divide-y divide-line text-sm" data-testid="error-occurrences">
                {g.recent.map((o) => (
                  <li key={`${o.taskId}-${o.attempt}`} className="grid min-w-0 gap-x-3 gap-y-0.5 py-1.5 md:grid-cols-[10rem_minmax(0,1fr)_minmax(0,1fr)]">
                    <time className="text-xs text-muted tabular-nums" dateTime={new Date(o.at).toISOString()} title={formatTimestamp(o.at)}>
                      {formatTimestamp(o.at)}
                    </time>
                    <span className="min-w-0">
                      <Link href={`/tasks/${encodeURIComponent(o.taskId)}`} className="font-mono text-xs break-all text-accent underline" data-testid="error-occurrence-task">
                        {o.taskId}
                      </Link>
                      <span className="text-xs text-muted"> attempt {o.attempt}</span>
                    </span>
                    <span className="min-w-0 text-xs break-words text-muted">
                      {[o.agentName && `on ${o.agentName}${o.agentVersion ? ` ${o.agentVersion}` : ""}`, o.capability, o.template, o.cpuPct != null && `CPU ${formatPct(o.cpuPct)}`, o.memPct != null && `memory ${formatPct(o.memPct)}`].filter(Boolean).join(" · ")}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </details>
    </li>
  );
});

function StatusButtons({ group: g }: { group: ErrorGroupView }) {
  const set = useSetErrorStatus();
  const to = (status: ErrorGroupView["status"]) => set.mutate({ id: g.id, status });
  const busy = set.isPending;
  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="flex flex-wrap justify-end gap-2">
        {g.status === "open" ? (
          <>
            <Button variant="primary" data-testid="error-resolve" disabled={busy} onClick={() => to("resolved")}>
              Resolve
            </Button>
            <Button data-testid="error-ignore" disabled={busy} onClick={() => to("ignored")}>
              Ignore
            </Button>
          </>
        ) : (
          <Button data-testid="error-reopen" disabled={busy} onClick={() => to("open")}>
            Reopen
          </Button>
        )}
      </div>
      <ErrorNotice error={set.error} title="Could not change the status" />
    </div>
  );
}
