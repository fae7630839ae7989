"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ResourceSample } from "@/lib/api";

/** Seconds only matter when the chart spans a few minutes. */
const tickFormat = (spanMs: number) => (at: number) =>
  new Date(at).toLocaleTimeString([], spanMs < 10 * 60_000 ? { hour: "2-digit", minute: "2-digit", second: "2-digit" } : { hour: "2-digit", minute: "2-digit" });

/** CPU (% of one core, left axis) and memory (MB, right axis) over the last hour. */
export function ResourceChart({ samples }: { samples: ResourceSample[] }) {
  const data = useMemo(() => samples.map((s) => ({ at: s.at, cpu: Math.round(s.cpu * 10) / 10, memoryMb: Math.round(s.memoryMb) })), [samples]);
  const span = data.length ? data[data.length - 1].at - data[0].at : 0;
  if (data.length < 2) {
    return <p className="py-8 text-center text-sm text-muted">Not enough heartbeats yet to draw a chart.</p>;
  }
  return (
    <div className="h-64 w-full" data-testid="resource-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" />
          <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tickFormat(span)} stroke="var(--muted)" fontSize={11} minTickGap={40} />
          <YAxis yAxisId="cpu" stroke="#0ea5e9" fontSize={11} width={44} unit="%" allowDecimals={false} />
          <YAxis yAxisId="mem" orientation="right" stroke="#8b5cf6" fontSize={11} width={52} allowDecimals={false} />
          <Tooltip
            labelFormatter={(at) => new Date(Number(at)).toLocaleTimeString()}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", borderRadius: 6, fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="cpu" dataKey="cpu" name="CPU %" stroke="#0ea5e9" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line yAxisId="mem" dataKey="memoryMb" name="Memory MB" stroke="#8b5cf6" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
