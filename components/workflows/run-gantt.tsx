"use client";
// The run's timeline: one bar per started step, from its start to its end (or now), aligned to
// the earliest start. Scrolls sideways on a phone — step names stay pinned on the left, and a
// shaded edge (and, until the reader scrolls, a hint) says there is more.
import "./workflows.css";
import { memo, useCallback, useEffect, useMemo, useRef } from "react";
import { formatDuration } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";
import { useScrollEdges } from "@/lib/client/use-scroll-edges";
import { copyIndex, titleText } from "./placeholders";
import { StepTitle } from "./step-title";
import { scrollIntoUncovered } from "./visible-area";
import type { StepRow } from "@/lib/client/run-patches";
import { formatTick, ganttChart, ganttTicks, type GanttRow } from "./run-timing";
import { STEP_LABEL, STEP_TONE } from "./step-status";

const ROW_H = 28;

/** Props are primitives so a finished step's bar skips rendering while open bars tick. */
const Bar = memo(function Bar({ id, title, index, status, offset, duration, span, selected, onSelect }: Omit<GanttRow, "open"> & { index: number | null; span: number; selected: boolean; onSelect: (id: string) => void }) {
  const row = { id, title: titleText(title, { index }), status, offset, duration };
  const left = (row.offset / span) * 100;
  const width = (row.duration / span) * 100;
  return (
    <div className="relative" style={{ height: ROW_H }}>
      <button
        type="button"
        data-testid="gantt-bar"
        data-step-id={row.id}
        data-status={row.status}
        onClick={() => onSelect(row.id)}
        title={`${row.title} — ${STEP_LABEL[row.status]}, ${formatDuration(row.duration)}`}
        aria-label={`${row.title}: ${STEP_LABEL[row.status]}, ${formatDuration(row.duration)}`}
        className={`absolute top-1.5 h-4 min-w-1 rounded-sm ${STEP_TONE[row.status].bar} ${selected ? "ring-2 ring-accent ring-offset-1 ring-offset-surface" : ""}`}
        style={{ left: `${left}%`, width: `max(${width}%, 4px)` }}
      />
    </div>
  );
});

export function RunGantt({ steps, selectedId, onSelect, revealSelected = false }: { steps: StepRow[]; selectedId: string | null; onSelect: (id: string) => void; revealSelected?: boolean }) {
  const open = steps.some((s) => s.startedAt != null && s.finishedAt == null);
  // Only open bars read the clock: a chart without them does not re-render every second.
  const tick = useCallback((now: number) => String(open ? now : 0), [open]);
  const asOf = Number(useNowText(tick));
  const chart = useMemo(() => ganttChart(steps, asOf), [steps, asOf]);
  const ticks = useMemo(() => ganttTicks(chart.span), [chart.span]);
  const indexes = useMemo(() => new Map(steps.map((s) => [s.id, copyIndex(s)])), [steps]);
  const scroller = useRef<HTMLDivElement>(null);
  const edges = useScrollEdges(scroller);

  // A row picked here must not end up under the phone's step sheet.
  useEffect(() => {
    if (!revealSelected || !selectedId) return;
    const frame = requestAnimationFrame(() => {
      const bar = scroller.current?.querySelector<HTMLElement>(`[data-testid="gantt-bar"][data-step-id="${CSS.escape(selectedId)}"]`);
      if (bar) scrollIntoUncovered(bar.parentElement ?? bar);
    });
    return () => cancelAnimationFrame(frame);
  }, [revealSelected, selectedId]);

  if (chart.rows.length === 0) return <p className="text-sm text-muted">No step has started yet.</p>;
  return (
    <div>
      <div className="relative">
        <div ref={scroller} className="max-h-[28rem] overflow-auto overscroll-x-contain rounded-md border border-line" data-testid="run-gantt" data-scroll-left={edges.left || undefined} data-scroll-right={edges.right || undefined} tabIndex={0} role="region" aria-label="Timeline of the started steps">
          <div className="grid min-w-[36rem] grid-cols-[8rem_minmax(0,1fr)] md:grid-cols-[12rem_minmax(0,1fr)]">
            <div className="sticky top-0 left-0 z-20 border-r border-b border-line bg-surface px-2 py-1 text-xs text-muted">Step</div>
            <div className="sticky top-0 z-10 border-b border-line bg-surface">
              <div className="relative h-6 text-xs text-muted">
                {ticks.map((t) => (
                  <span key={t} className="absolute top-1 -translate-x-1/2 tabular-nums first:translate-x-0" style={{ left: `${(t / chart.span) * 100}%` }}>
                    {formatTick(t)}
                  </span>
                ))}
              </div>
            </div>
            <div className="sticky left-0 z-10 border-r border-line bg-surface">
              {chart.rows.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  onClick={() => onSelect(r.id)}
                  className={`block w-full truncate px-2 text-left text-xs hover:bg-surface-2 ${r.id === selectedId ? "bg-surface-2 font-semibold" : ""}`}
                  style={{ height: ROW_H, lineHeight: `${ROW_H}px` }}
                  title={titleText(r.title, { index: indexes.get(r.id) })}
                  aria-current={r.id === selectedId ? "true" : undefined}
                >
                  <StepTitle title={r.title} known={{ index: indexes.get(r.id) }} />
                </button>
              ))}
            </div>
            <div className="relative pr-3">
              {ticks.map((t) => (
                <span key={t} aria-hidden className="absolute inset-y-0 w-px bg-line/60" style={{ left: `${(t / chart.span) * 100}%` }} />
              ))}
              {chart.rows.map((r) => (
                <Bar key={r.id} id={r.id} title={r.title} index={indexes.get(r.id) ?? null} status={r.status} offset={r.offset} duration={r.duration} span={chart.span} selected={r.id === selectedId} onSelect={onSelect} />
              ))}
            </div>
          </div>
        </div>
        {/* Shaded edges where the chart runs on out of sight. */}
        <div aria-hidden className={`pointer-events-none absolute inset-y-px left-[8rem] w-6 rounded-l-md bg-gradient-to-r from-black/15 to-transparent transition-opacity md:left-[12rem] dark:from-black/50 ${edges.left ? "opacity-100" : "opacity-0"}`} />
        <div aria-hidden data-testid="gantt-more-right" className={`pointer-events-none absolute inset-y-px right-px w-10 rounded-r-md bg-gradient-to-l from-black/20 to-transparent transition-opacity dark:from-black/60 ${edges.right ? "opacity-100" : "opacity-0"}`} />
      </div>
      <p className="mt-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-xs text-muted">
        <span>
          {formatDuration(chart.span)} from the first start{chart.notStarted ? ` · ${chart.notStarted} step${chart.notStarted === 1 ? "" : "s"} not started` : ""}
        </span>
        {edges.right && !edges.left && (
          <span data-testid="gantt-scroll-hint" className="font-medium">
            Scroll sideways for the rest <span aria-hidden>→</span>
          </span>
        )}
      </p>
    </div>
  );
}
