// The per-agent CPU heatmap as rows of cells, each with its colour band and the sentence a
// tooltip or a screen reader gives for it. Pure.
import type { AnalyticsSummary } from "@/lib/api";
import { formatPct, formatWhen, heatBand, heatColour, stepLabel } from "./format";

export interface HeatCell {
  at: number;
  pct: number | null;
  band: number | null;
  colour: string | null;
  title: string;
}

export interface HeatRow {
  key: string;
  label: string;
  cells: HeatCell[];
  /** Mean over the cells that have samples; null when the agent sent none. */
  meanPct: number | null;
  peakPct: number | null;
}

export function heatmapRows(resources: AnalyticsSummary["resources"], stepMs: number, timeZone?: string): HeatRow[] {
  const per = stepLabel(stepMs).replace(/^per /, "");
  return resources.agents.map((a, i) => {
    const values = resources.cpu[i] ?? [];
    const cells = resources.at.map((at, j) => {
      const pct = values[j] ?? null;
      const when = formatWhen(at, timeZone);
      return {
        at,
        pct,
        band: heatBand(pct),
        colour: heatColour(pct),
        title: pct == null ? `${a.label}, ${per} from ${when}: no samples` : `${a.label}, ${per} from ${when}: CPU ${formatPct(pct)}`,
      };
    });
    const seen = values.filter((v): v is number => v != null);
    return {
      key: a.key,
      label: a.label,
      cells,
      meanPct: seen.length ? seen.reduce((s, v) => s + v, 0) / seen.length : null,
      peakPct: seen.length ? Math.max(...seen) : null,
    };
  });
}

export interface ColumnLabel {
  /** The first column the label spans. */
  index: number;
  span: number;
  /** The round time it names (inside its first column); null for the unlabelled start. */
  at: number | null;
}

/**
 * The label row under the grid: each tick names the column that holds it and spans until the
 * next, so the labels sit on round times and the spans add up to every column.
 */
export function columnLabels(at: readonly number[], stepMs: number, ticks: readonly number[]): ColumnLabel[] {
  if (at.length === 0) return [];
  const marks: { index: number; at: number }[] = [];
  for (const t of ticks) {
    const index = at.findIndex((a) => t >= a && t < a + stepMs);
    if (index >= 0 && !marks.some((m) => m.index === index)) marks.push({ index, at: t });
  }
  marks.sort((a, b) => a.index - b.index);
  const out: ColumnLabel[] = [];
  if (marks.length === 0 || marks[0].index > 0) out.push({ index: 0, span: marks[0]?.index ?? at.length, at: null });
  marks.forEach((m, i) => out.push({ index: m.index, span: (marks[i + 1]?.index ?? at.length) - m.index, at: m.at }));
  return out;
}
