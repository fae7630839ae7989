"use client";
// The pool's last half hour: agents (a step at each decision), what demand wanted, min and max
// on the left axis; the backlog on the right; the forecast in agents when predictive is on.
import { useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PoolDecisionView, PoolView } from "@/lib/api/pools";
import { AXIS, ChartFrame, COLOURS, GRID, LEGEND, TOOLTIP } from "@/components/insight/chart-parts";
import { formatClock } from "@/lib/client/format";
import { agentAxisMax, chartDomain, drawnRows, chartSummary, chartTicks, hasForecast, poolChartRows, tickLabel } from "@/components/pools/pool-chart";

export function ScalingChart({ pool: p, decisions, now }: { pool: PoolView; decisions: readonly PoolDecisionView[]; now: number }) {
  const rows = useMemo(
    () => poolChartRows({ decisions, now, min: p.policy.min, max: p.policy.max, slotsPerAgent: p.card.slots, current: p.current, backlog: p.backlog }),
    [decisions, now, p.policy.min, p.policy.max, p.card.slots, p.current, p.backlog],
  );
  const [from, to] = chartDomain(rows, now);
  const { ticks, stepMs } = chartTicks(from, to);
  const top = agentAxisMax(rows, p.policy.max);
  const data = useMemo(() => drawnRows(rows, top), [rows, top]);
  const forecast = p.policy.predictive.enabled || hasForecast(rows);
  return (
    <ChartFrame title="Agents and backlog" summary={chartSummary(rows)} testId="pool-chart" className="h-64 sm:h-80" empty={rows.length === 0 ? "No decisions in the last 30 minutes." : null}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="at" type="number" scale="time" domain={[from, to]} ticks={ticks} tickFormatter={(at: number) => tickLabel(at, stepMs)} minTickGap={24} {...AXIS} />
          <YAxis yAxisId="agents" {...AXIS} width={32} allowDecimals={false} domain={[0, top]} allowDataOverflow />
          <YAxis yAxisId="backlog" orientation="right" {...AXIS} width={40} allowDecimals={false} />
          <Tooltip {...TOOLTIP} labelFormatter={(at) => formatClock(Number(at)).slice(0, 8)} formatter={(v, name, item) => (name === "desired" ? (item.payload as { desired: number }).desired : v)} />
          <Legend {...LEGEND} />
          <Area yAxisId="backlog" type="stepAfter" dataKey="backlog" name="backlog (tasks, right)" stroke={COLOURS.amber} fill={COLOURS.amber} fillOpacity={0.12} strokeWidth={1} isAnimationActive={false} />
          <Line yAxisId="agents" type="stepAfter" dataKey="max" name="max" stroke={COLOURS.rose} strokeDasharray="6 4" strokeWidth={1} dot={false} isAnimationActive={false} />
          <Line yAxisId="agents" type="stepAfter" dataKey="min" name="min" stroke={COLOURS.slate} strokeDasharray="6 4" strokeWidth={1} dot={false} isAnimationActive={false} />
          <Line yAxisId="agents" type="stepAfter" dataKey="desiredShown" name="desired" stroke={COLOURS.indigo} strokeDasharray="3 3" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          {forecast && <Line yAxisId="agents" type="stepAfter" dataKey="forecast" name="forecast (agents)" stroke={COLOURS.violet} strokeDasharray="1 3" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />}
          <Line yAxisId="agents" type="stepAfter" dataKey="current" name="agents" stroke={COLOURS.sky} strokeWidth={2.5} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
