"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader } from "@/components/panel";
import type { Horizon } from "@/components/insight/capacity-chart";
import { csvHref } from "@/components/insight/csv";
import { CsvLink } from "@/components/insight/csv-link";
import { DEFAULT_TARGET_WAIT_MS, TARGET_WAITS } from "@/components/insight/format";
import { Segmented } from "@/components/insight/segmented";
import { SimulatedBanner } from "@/components/insight/simulated-banner";
import { browserTimeZone, INSIGHT_REFRESH_MS, useCapacity } from "@/components/insight/use-insight";
import { CapabilityPlanCard } from "./capability-plan-card";

const TARGET_OPTIONS = TARGET_WAITS.map((t) => ({ value: String(t.ms), label: t.label }));
const HORIZON_OPTIONS: { value: Horizon; label: string }[] = [
  { value: "24h", label: "next 24 h" },
  { value: "7d", label: "next 7 d" },
];

/** Demand forecasts per capability and the slots each needs to keep queue wait p95 under a target. */
export function CapacityView({ initialTargetMs, initialHorizon }: { initialTargetMs: number; initialHorizon: Horizon }) {
  const [targetMs, setTargetMs] = useState(initialTargetMs);
  const [horizon, setHorizon] = useState<Horizon>(initialHorizon);
  const timeZone = useMemo(browserTimeZone, []);
  useFilterInUrl({ target: targetMs === DEFAULT_TARGET_WAIT_MS ? undefined : String(targetMs), horizon: horizon === "24h" ? undefined : horizon });
  const query = useCapacity({ targetWaitMs: targetMs, timeZone });
  const data = query.data;
  const target = TARGET_WAITS.find((t) => t.ms === targetMs)?.label ?? `${targetMs / 1000} s`;

  return (
    <>
      <PageHeader
        title="Capacity"
        subtitle={
          <>
            Tasks per hour forecast from each capability&apos;s history (daily and weekly seasonality), drawn against what happened, and the slots needed to keep queue wait p95 under {target}. Times in {timeZone}. Refreshes every {INSIGHT_REFRESH_MS / 1000} s.{" "}
            <Link href="/analytics" className="text-accent underline">
              Analytics
            </Link>
          </>
        }
        actions={<CsvLink href={csvHref("capacity", { targetWaitMs: targetMs, timeZone })} what="the capacity forecast" testId="csv-capacity" />}
      />
      <SimulatedBanner simulated={data?.simulated} />
      <div className="mb-4 flex flex-wrap items-end gap-x-4 gap-y-2">
        <div className="flex min-w-0 flex-col gap-1 sm:flex-row sm:items-center sm:gap-2">
          <span className="text-sm text-muted">
            Wait target (p95)
          </span>
          <Segmented label="Wait target (p95)" options={TARGET_OPTIONS} value={String(targetMs)} onChange={(v) => setTargetMs(Number(v))} testPrefix="target" />
        </div>
        <div className="flex min-w-0 flex-col gap-1 sm:flex-row sm:items-center sm:gap-2">
          <span className="text-sm text-muted">Forecast</span>
          <Segmented label="Forecast horizon" options={HORIZON_OPTIONS} value={horizon} onChange={setHorizon} testPrefix="horizon" />
        </div>
      </div>
      <ErrorNotice error={query.error} title="Could not load the capacity plan" />
      {query.isPending ? (
        <Loading label="Loading the capacity plan…" />
      ) : data ? (
        data.capabilities.length === 0 ? (
          <p className="rounded-md border border-line bg-surface px-3 py-6 text-center text-sm text-muted" data-testid="capacity-empty">
            No capability has history or a connected agent yet. Forecasts appear once tasks have run for a few hours.
          </p>
        ) : (
          <ul className="space-y-4" data-testid="capacity" data-target-ms={data.targetWaitMs} aria-busy={query.isPlaceholderData || undefined}>
            {data.capabilities.map((p) => (
              <CapabilityPlanCard key={p.capability} plan={p} horizon={horizon} target={target} />
            ))}
          </ul>
        )
      ) : null}
    </>
  );
}
