"use client";
import { useMemo } from "react";
import type { AnalyticsSummary } from "@/lib/api";
import { formatPct, HEAT_BANDS, stepLabel, timeTick, timeTicks } from "@/components/insight/format";
import { columnLabels, heatmapRows } from "@/components/insight/heatmap";

/** Hatched, so "no samples" never reads as "idle". */
const NO_SAMPLES = "repeating-linear-gradient(135deg, var(--surface-2) 0 2px, transparent 2px 4px)";

/**
 * Agents × time, each cell coloured by the agent's mean CPU over that step. A table, so a screen
 * reader can walk it: each row is headed by the agent, each cell says its time and value (and
 * shows it as a tooltip). On a narrow screen the grid scrolls sideways rather than squeezing
 * cells below three pixels.
 */
export function CpuHeatmap({ resources, stepMs, from, to }: { resources: AnalyticsSummary["resources"]; stepMs: number; from: number; to: number }) {
  const rows = useMemo(() => heatmapRows(resources, stepMs), [resources, stepMs]);
  const columns = resources.at.length;
  const labels = useMemo(() => columnLabels(resources.at, stepMs, timeTicks(from, to - stepMs, 6)), [resources.at, stepMs, from, to]);
  if (rows.length === 0) return <p className="text-sm text-muted" data-testid="heatmap-empty">No agent sent resource samples in this range.</p>;
  return (
    <div className="space-y-3">
      <div role="region" aria-label="CPU heatmap, scrolls sideways" tabIndex={0} className="relative overflow-x-auto pb-1">
        <table className="w-full table-fixed border-separate border-spacing-px" style={{ minWidth: `calc(8rem + ${columns * 3}px)` }} data-testid="cpu-heatmap" data-columns={columns}>
          <caption className="sr-only">
            Mean CPU per agent, {stepLabel(stepMs)}; the last column is the mean over the range.
          </caption>
          <colgroup>
            <col className="w-20 sm:w-28" />
            {resources.at.map((at) => (
              <col key={at} />
            ))}
            <col className="w-12 sm:w-14" />
          </colgroup>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid="heatmap-row" data-key={r.key}>
                <th scope="row" className="truncate pr-2 text-left text-xs font-medium" title={r.label}>
                  {r.label}
                </th>
                {r.cells.map((c) => (
                  <td
                    key={c.at}
                    title={c.title}
                    data-testid="heatmap-cell"
                    data-pct={c.pct ?? ""}
                    data-band={c.band ?? ""}
                    className="h-6 p-0"
                    style={{ background: c.colour ?? NO_SAMPLES }}
                  >
                    <span className="sr-only">{c.title}</span>
                  </td>
                ))}
                <td className="pl-2 text-right text-xs text-muted tabular-nums" title={`${r.label}: mean CPU over the range`}>
                  {formatPct(r.meanPct)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot aria-hidden>
            <tr>
              <td />
              {labels.map((l) => (
                <td key={l.index} colSpan={l.span} className="truncate pt-1 text-[11px] text-muted">
                  {l.at == null ? "" : timeTick(l.at, to - from)}
                </td>
              ))}
              <td className="pt-1 pl-2 text-right text-[11px] text-muted">mean</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted" aria-label="CPU colour scale" data-testid="heatmap-legend">
        {HEAT_BANDS.map((b) => (
          <li key={b.label} className="flex items-center gap-1.5">
            <span aria-hidden className="size-3 rounded-sm" style={{ background: b.colour }} />
            {b.label}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="size-3 rounded-sm border border-line" style={{ background: NO_SAMPLES }} />
          no samples
        </li>
      </ul>
    </div>
  );
}
