import type { BottleneckView } from "@/lib/api";

export const BOTTLENECK_KIND: Record<BottleneckView["kind"], string> = {
  queue_wait: "queue wait",
  critical_step: "critical step",
  slow_agent: "slow agent",
  approval_wait: "approval wait",
  retries: "retries",
};

/** Where time goes, worst first (the server ranks them by task-minutes lost), each with its evidence. */
export function BottleneckList({ bottlenecks }: { bottlenecks: BottleneckView[] }) {
  if (bottlenecks.length === 0) return <p className="text-sm text-muted" data-testid="bottlenecks-empty">No bottleneck in this range: no capability waits past the target, no step or agent stands out.</p>;
  return (
    <ol className="space-y-3" data-testid="bottleneck-list">
      {bottlenecks.map((b, i) => (
        <li key={`${b.kind}-${b.subject.dim}-${b.subject.key}`} data-testid="bottleneck" data-kind={b.kind} className="grid min-w-0 grid-cols-[1.75rem_minmax(0,1fr)] gap-x-2">
          <span aria-hidden className="flex size-6 items-center justify-center rounded-full bg-surface-2 text-xs font-semibold tabular-nums">
            {i + 1}
          </span>
          <div className="min-w-0">
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
              <span className="sr-only">{i + 1}.</span>
              <span className="font-medium break-words" data-testid="bottleneck-title">
                {b.title}
              </span>
              <span className="rounded bg-surface-2 px-1.5 text-[11px] font-medium text-muted">{BOTTLENECK_KIND[b.kind]}</span>
            </div>
            {b.evidence.length > 0 && (
              <ul className="mt-1 list-disc space-y-0.5 pl-4 text-sm text-muted" aria-label="Evidence">
                {b.evidence.map((e) => (
                  <li key={e} className="break-words">
                    {e}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
