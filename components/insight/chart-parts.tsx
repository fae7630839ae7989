"use client";
// What every insight chart shares: the frame (a figure with a name and a fixed height, so
// Recharts can measure it), the axis and tooltip styles on the page's own colours.
import type { ReactNode } from "react";

export const AXIS = { stroke: "var(--muted)", fontSize: 11 } as const;
export const GRID = { stroke: "var(--line)", strokeDasharray: "3 3" } as const;
export const TOOLTIP = {
  contentStyle: { background: "var(--surface)", border: "1px solid var(--line)", borderRadius: 6, fontSize: 12, color: "var(--fg)" },
  labelStyle: { color: "var(--fg)", fontWeight: 600 },
} as const;
export const LEGEND = { wrapperStyle: { fontSize: 12 } } as const;

/** Series colours that read on light and dark surfaces. */
export const COLOURS = { sky: "#0ea5e9", indigo: "#6366f1", emerald: "#10b981", amber: "#f59e0b", rose: "#e11d48", violet: "#8b5cf6", slate: "#64748b" } as const;

export function ChartFrame({ title, summary, testId, className = "h-56", children, empty }: { title: string; summary: string; testId: string; className?: string; children: ReactNode; empty?: string | null }) {
  return (
    <figure className="min-w-0" data-testid={testId}>
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      {empty ? (
        <p className={`flex items-center justify-center rounded-md border border-dashed border-line text-sm text-muted ${className}`}>{empty}</p>
      ) : (
        <>
          <p className="sr-only">{summary}</p>
          <div className={`w-full min-w-0 ${className}`}>{children}</div>
        </>
      )}
    </figure>
  );
}
