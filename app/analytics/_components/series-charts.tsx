"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsSummary } from "@/lib/api";
import { AXIS, ChartFrame, COLOURS, GRID, LEGEND, TOOLTIP } from "@/components/insight/chart-parts";
import { durationTicks, formatMemoryMb, formatMs, formatMsShort, formatNumber, formatPct, formatRatio, formatWhen, RANGE_LABEL, stepLabel, timeTick, timeTicks } from "@/components/insight/format";

/** Throughput, queue wait, utilisation and resources over the range, one point per step. */
export function SeriesCharts({ summary: s }: { summary: AnalyticsSummary }) {
  const span = s.to - s.from;
  const per = stepLabel(s.stepMs);
  const over = RANGE_LABEL[s.range].long;
  const rows = s.series.map((p) => ({ ...p, utilisationPct: p.utilisation == null ? null : p.utilisation * 100 }));
  const any = (f: (p: (typeof rows)[number]) => number | null) => rows.some((p) => f(p) != null && f(p) !== 0);
  const x = {
    dataKey: "at",
    type: "number" as const,
    scale: "time" as const,
    domain: [s.from, s.to - s.stepMs] as [number, number],
    ticks: timeTicks(s.from, s.to - s.stepMs, 6),
    tickFormatter: (at: number) => timeTick(at, span),
    minTickGap: 24,
    ...AXIS,
  };
  const label = (at: unknown) => `${per.replace(/^per /, "")} from ${formatWhen(Number(at))}`;
  const margin = { top: 8, right: 8, bottom: 0, left: 0 };
  const now = s.fleet.now;
  const waitTicks = durationTicks(Math.max(0, ...rows.map((p) => p.waitP95Ms ?? 0)));

  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="series-charts">
      <section className="min-w-0 rounded-lg border border-line bg-surface p-4">
        <ChartFrame
          title={`Tasks ${per}`}
          testId="chart-throughput"
          summary={`Tasks submitted and finished ${per} over ${over}: ${formatNumber(now.submitted)} submitted, ${formatNumber(now.finished)} finished.`}
          empty={any((p) => p.submitted) || any((p) => p.finished) ? null : `No tasks in ${over}.`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} margin={margin}>
              <CartesianGrid {...GRID} />
              <XAxis {...x} />
              <YAxis {...AXIS} width={40} allowDecimals={false} />
              <Tooltip {...TOOLTIP} labelFormatter={label} />
              <Legend {...LEGEND} />
              <Area dataKey="submitted" name="submitted" stroke={COLOURS.sky} fill={COLOURS.sky} fillOpacity={0.18} strokeWidth={1.5} isAnimationActive={false} />
              <Line dataKey="finished" name="finished" stroke={COLOURS.emerald} dot={false} strokeWidth={1.75} isAnimationActive={false} />
              <Line dataKey="failed" name="failed" stroke={COLOURS.rose} dot={false} strokeWidth={1.25} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartFrame>
      </section>

      <section className="min-w-0 rounded-lg border border-line bg-surface p-4">
        <ChartFrame
          title="Queue wait"
          testId="chart-wait"
          summary={`Queue wait p50 and p95 ${per} over ${over}; over the whole range p95 ${formatMs(now.waitP95Ms)}.`}
          empty={any((p) => p.waitP95Ms) ? null : `No task waited in ${over}.`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={margin}>
              <CartesianGrid {...GRID} />
              <XAxis {...x} />
              <YAxis {...AXIS} width={60} ticks={waitTicks} domain={[0, waitTicks[waitTicks.length - 1]]} tickFormatter={(v: number) => formatMsShort(v)} />
              <Tooltip {...TOOLTIP} labelFormatter={label} formatter={(v) => formatMs(v == null ? null : Number(v))} />
              <Legend {...LEGEND} />
              <Line dataKey="waitP95Ms" name="p95" stroke={COLOURS.violet} dot={false} strokeWidth={1.75} connectNulls={false} isAnimationActive={false} />
              <Line dataKey="waitP50Ms" name="p50" stroke={COLOURS.indigo} strokeDasharray="4 3" dot={false} strokeWidth={1.25} connectNulls={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </ChartFrame>
      </section>

      <section className="min-w-0 rounded-lg border border-line bg-surface p-4">
        <ChartFrame
          title="Utilisation"
          testId="chart-utilisation"
          summary={`Busy slot-time over offered slot-time ${per} over ${over}; ${formatRatio(now.utilisation)} over the whole range.`}
          empty={any((p) => p.utilisationPct) ? null : `No agent offered slots in ${over}.`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} margin={margin}>
              <CartesianGrid {...GRID} />
              <XAxis {...x} />
              <YAxis {...AXIS} width={52} domain={[0, (max: number) => Math.max(100, Math.ceil(max))]} tickFormatter={(v: number) => `${v} %`} />
              <Tooltip {...TOOLTIP} labelFormatter={label} formatter={(v) => formatPct(v == null ? null : Number(v))} />
              <Area dataKey="utilisationPct" name="utilisation" stroke={COLOURS.amber} fill={COLOURS.amber} fillOpacity={0.2} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartFrame>
      </section>

      <section className="min-w-0 rounded-lg border border-line bg-surface p-4">
        <ChartFrame
          title="CPU and memory (fleet mean)"
          testId="chart-resources"
          summary={`Mean CPU and memory of the agents that reported samples, ${per} over ${over}; CPU ${formatPct(now.cpuMeanPct)}, memory ${formatMemoryMb(now.memMeanMb)} over the whole range.`}
          empty={any((p) => p.cpuMeanPct) || any((p) => p.memMeanMb) ? null : `No agent sent resource samples in ${over}.`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={margin}>
              <CartesianGrid {...GRID} />
              <XAxis {...x} />
              <YAxis yAxisId="cpu" {...AXIS} width={52} domain={[0, (max: number) => Math.max(100, Math.ceil(max))]} tickFormatter={(v: number) => `${v} %`} />
              <YAxis yAxisId="mem" orientation="right" {...AXIS} width={64} tickFormatter={(v: number) => formatMemoryMb(v)} />
              <Tooltip {...TOOLTIP} labelFormatter={label} formatter={(v, name) => (name === "memory" ? formatMemoryMb(v == null ? null : Number(v)) : formatPct(v == null ? null : Number(v)))} />
              <Legend {...LEGEND} />
              <Line yAxisId="cpu" dataKey="cpuMeanPct" name="CPU" stroke={COLOURS.sky} dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
              <Line yAxisId="mem" dataKey="memMeanMb" name="memory" stroke={COLOURS.violet} dot={false} strokeWidth={1.25} connectNulls={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </ChartFrame>
      </section>
    </div>
  );
}
