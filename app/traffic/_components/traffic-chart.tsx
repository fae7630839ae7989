"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TrafficStats } from "@/lib/client/use-traffic-stats";

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** Requests per minute (area) with the 4xx, 5xx and rate-limited answers among them (lines). */
export function TrafficChart({ timeline }: { timeline: TrafficStats["timeline"] }) {
  if (timeline.length === 0) return <p className="py-8 text-center text-sm text-muted">No minutes to show yet.</p>;
  return (
    <div className="h-64 w-full" data-testid="traffic-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={timeline} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" />
          <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={time} stroke="var(--muted)" fontSize={11} minTickGap={32} />
          <YAxis stroke="var(--muted)" fontSize={11} width={48} allowDecimals={false} />
          <Tooltip labelFormatter={(at) => `minute from ${time(Number(at))}`} contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", borderRadius: 6, fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="count" name="requests/min" stroke="#0ea5e9" fill="#0ea5e9" fillOpacity={0.2} strokeWidth={1.5} isAnimationActive={false} />
          <Line dataKey="errors4xx" name="4xx" stroke="#f59e0b" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line dataKey="errors5xx" name="5xx" stroke="#ef4444" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line dataKey="rateLimited" name="429" stroke="#be123c" strokeDasharray="4 3" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
