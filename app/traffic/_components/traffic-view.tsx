"use client";
import { useState } from "react";
import { TRAFFIC_REFRESH_MS, useTrafficStats } from "@/lib/client/use-traffic-stats";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { TopPrincipals } from "./top-principals";
import { RouteTable } from "./route-table";
import { TrafficChart } from "./traffic-chart";
import { TrafficTotals } from "./traffic-totals";

const WINDOWS = [5, 15, 60];

/** The API gateway's traffic over a window of minutes, refreshed every few seconds. */
export function TrafficView() {
  const [windowMinutes, setWindowMinutes] = useState(15);
  const { data, error, isPending } = useTrafficStats(windowMinutes);
  return (
    <>
      <PageHeader
        title="Traffic"
        subtitle={`Requests through the API gateway (REST, tRPC, MCP, agent socket events) by route and caller. Refreshes every ${TRAFFIC_REFRESH_MS / 1000} s.`}
        actions={
          <select aria-label="Window" value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))} className={inputClass} data-testid="traffic-window">
            {WINDOWS.map((m) => (
              <option key={m} value={m}>
                Last {m} minutes
              </option>
            ))}
          </select>
        }
      />
      <ErrorNotice error={error} title="Could not load traffic" />
      {isPending ? (
        <Loading label="Loading traffic…" />
      ) : data ? (
        <div className="space-y-4" data-testid="traffic">
          <TrafficTotals total={data.total} />
          <Panel title="Requests per minute">
            <TrafficChart timeline={data.timeline} />
          </Panel>
          <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,1fr)]">
            <Panel title={`Routes (${data.routes.length})`}>
              <RouteTable routes={data.routes} />
            </Panel>
            <Panel title="Top callers">
              <TopPrincipals principals={data.principals} />
            </Panel>
          </div>
        </div>
      ) : null}
    </>
  );
}
