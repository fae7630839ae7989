"use client";
import { memo, useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsCapacity } from "@/lib/api";
import { AXIS, ChartFrame, COLOURS, GRID, LEGEND, TOOLTIP } from "@/components/insight/chart-parts";
import { demandRows, HORIZON_HOURS, shortfallsWithin, slotRows, type Horizon } from "@/components/insight/capacity-chart";
import { formatMs, formatNumber, formatWhen, mapeText, timeTick, timeTicks } from "@/components/insight/format";

type Plan = AnalyticsCapacity["capabilities"][number];

const HORIZON_TEXT: Record<Horizon, string> = { "24h": "the next 24 hours", "7d": "the next 7 days" };

const FIRST_SHORTFALLS = 4;

const shortfallItem = (s: { from: number; text: string }) => (
  <li key={s.from} className="text-base font-semibold break-words text-red-900 dark:text-red-200" data-testid="capacity-shortfall">
    {s.text}
  </li>
);

/** One capability: its shortfalls first, then demand (history, backtest, forecast) and slots needed against slots now. */
export const CapabilityPlanCard = memo(function CapabilityPlanCard({ plan: p, horizon, target }: { plan: Plan; horizon: Horizon; target: string }) {
  const demand = useMemo(() => demandRows(p, horizon), [p, horizon]);
  const slots = useMemo(() => slotRows(p, horizon), [p, horizon]);
  const { shown, later } = shortfallsWithin(p, horizon);
  const now = p.forecast[0]?.at ?? null;
  const noHistory = p.historyHours === 0 || p.forecast.length === 0;
  const span = demand.length ? demand[demand.length - 1].at - demand[0].at : 0;
  const x = (from: number, to: number) => ({
    dataKey: "at",
    type: "number" as const,
    scale: "time" as const,
    domain: [from, to] as [number, number],
    ticks: timeTicks(from, to, 8),
    tickFormatter: (at: number) => timeTick(at, to - from),
    minTickGap: 24,
    ...AXIS,
  });
  const label = (at: unknown) => `hour from ${formatWhen(Number(at))}`;
  const margin = { top: 8, right: 8, bottom: 0, left: 0 };
  const slotMax = Math.max(p.slotsNow, ...slots.map((s) => s.needed));

  return (
    <li className="min-w-0 rounded-lg border border-line bg-surface" data-testid="capacity-card" data-capability={p.capability} data-mape={p.mape ?? ""} data-slots-now={p.slotsNow} data-peak={p.peakSlotsNeeded}>
      <header className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 border-b border-line px-4 py-2.5">
        <h2 className="font-mono text-base font-semibold break-all">{p.capability}</h2>
        <dl className="flex flex-wrap gap-x-4 gap-y-0.5 text-sm">
          <div className="flex gap-1">
            <dt className="text-muted">slots now</dt>
            <dd className="font-medium tabular-nums" data-testid="capacity-slots-now">
              {p.slotsNow}
            </dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted">peak need, next 7 d</dt>
            <dd className="font-medium tabular-nums" data-testid="capacity-peak">
              {p.peakSlotsNeeded}
            </dd>
          </div>
          {p.serviceMs != null && (
            <div className="flex gap-1">
              <dt className="text-muted">mean run</dt>
              <dd className="tabular-nums">{formatMs(p.serviceMs)}</dd>
            </div>
          )}
        </dl>
      </header>
      <div className="space-y-4 p-4">
        {noHistory ? null : shown.length > 0 ? (
          <div role="note" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2" data-testid="capacity-shortfalls">
            <p className="text-xs font-semibold tracking-wide text-red-800 uppercase dark:text-red-300">Short of slots in {HORIZON_TEXT[horizon]}</p>
            <ul className="mt-1 space-y-0.5">{shown.slice(0, FIRST_SHORTFALLS).map(shortfallItem)}</ul>
            {shown.length > FIRST_SHORTFALLS && (
              // A capability short every day reads as a wall of red otherwise: the first few, the rest on demand.
              <details className="mt-1" data-testid="capacity-more-shortfalls">
                <summary className="cursor-pointer text-sm font-medium text-red-800 dark:text-red-300">
                  {shown.length - FIRST_SHORTFALLS} more {shown.length - FIRST_SHORTFALLS === 1 ? "period" : "periods"}
                </summary>
                <ul className="mt-1 space-y-0.5">{shown.slice(FIRST_SHORTFALLS).map(shortfallItem)}</ul>
              </details>
            )}
            {later > 0 && (
              <p className="mt-1 text-sm text-red-800 dark:text-red-300">
                and {later} more later in the week (see the next 7 days)
              </p>
            )}
          </div>
        ) : (
          <p className="rounded-md border border-emerald-500/40 bg-emerald-500/10 px-3 py-2 text-sm text-emerald-900 dark:text-emerald-200" data-testid="capacity-enough">
            Enough slots for {HORIZON_TEXT[horizon]} to keep queue wait p95 under {target}.
          </p>
        )}
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-sm text-muted">
          <span data-testid="capacity-mape">{mapeText(p.mape)}</span>
          <span>
            method: <span className="text-fg">{p.method}</span>
          </span>
          <span>{formatNumber(p.historyHours)} h of history</span>
        </p>
        {noHistory ? (
          <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-muted" data-testid="capacity-no-history">
            Not enough history to forecast {p.capability} yet: it needs tasks over a few hours first.
          </p>
        ) : (
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartFrame
              title="Tasks per hour"
              testId="capacity-demand-chart"
              summary={`Tasks submitted per hour for ${p.capability}: what happened, what the model predicted for the last day (${mapeText(p.mape)}), and the forecast for ${HORIZON_TEXT[horizon]}.`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={demand} margin={margin}>
                  <CartesianGrid {...GRID} />
                  <XAxis {...x(demand[0]?.at ?? 0, (demand[0]?.at ?? 0) + span)} />
                  <YAxis {...AXIS} width={40} allowDecimals={false} />
                  <Tooltip {...TOOLTIP} labelFormatter={label} formatter={(v) => (v == null ? "—" : formatNumber(Math.round(Number(v) * 10) / 10))} />
                  <Legend {...LEGEND} />
                  {now != null && <ReferenceLine x={now} stroke="var(--muted)" strokeDasharray="2 2" label={{ value: "now", position: "insideTopLeft", fill: "var(--muted)", fontSize: 11 }} />}
                  <Area dataKey="forecast" name={`forecast, ${HORIZON_TEXT[horizon].replace("the ", "")}`} stroke={COLOURS.indigo} fill={COLOURS.indigo} fillOpacity={0.15} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
                  <Line dataKey="actual" name="actual" stroke={COLOURS.sky} dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
                  <Line dataKey="predicted" name="backtest (predicted)" stroke={COLOURS.amber} strokeDasharray="4 3" dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
                </ComposedChart>
              </ResponsiveContainer>
            </ChartFrame>
            <ChartFrame
              title="Slots needed vs slots now"
              testId="capacity-slots-chart"
              summary={`Slots ${p.capability} needs each hour of ${HORIZON_TEXT[horizon]} to keep queue wait p95 under ${target}, against the ${p.slotsNow} slots connected now; at most ${slotMax} over the ${HORIZON_HOURS[horizon]} hours.`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={slots} margin={margin}>
                  <CartesianGrid {...GRID} />
                  <XAxis {...x(slots[0]?.at ?? 0, slots[slots.length - 1]?.at ?? 0)} />
                  <YAxis {...AXIS} width={40} allowDecimals={false} domain={[0, Math.max(1, slotMax)]} />
                  <Tooltip {...TOOLTIP} labelFormatter={label} />
                  <Legend {...LEGEND} />
                  <Area type="stepAfter" dataKey="needed" name="slots needed" stroke={COLOURS.rose} fill={COLOURS.rose} fillOpacity={0.15} strokeWidth={1.5} isAnimationActive={false} />
                  <Line type="stepAfter" dataKey="now" name={`slots now (${p.slotsNow})`} stroke={COLOURS.emerald} strokeWidth={2} dot={false} isAnimationActive={false} />
                </ComposedChart>
              </ResponsiveContainer>
            </ChartFrame>
          </div>
        )}
      </div>
    </li>
  );
});
