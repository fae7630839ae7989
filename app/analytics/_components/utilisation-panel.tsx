import type { AnalyticsSummary } from "@/lib/api";
import { formatRatio, formatSlotHours, utilisationTone } from "@/components/insight/format";

type Row = AnalyticsSummary["utilisation"]["agents"][number];

const TONE: Record<ReturnType<typeof utilisationTone>, string> = { none: "bg-surface-2", spare: "bg-sky-500", high: "bg-amber-500", saturated: "bg-red-600" };

/** Busy slot-time over offered slot-time, per agent and per capability, as bars. */
export function UtilisationPanel({ utilisation }: { utilisation: AnalyticsSummary["utilisation"] }) {
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <UtilisationList title="Per agent" rows={utilisation.agents} testId="utilisation-agents" empty="No agent offered slots in this range." />
      <UtilisationList title="Per capability" rows={utilisation.capabilities} testId="utilisation-capabilities" empty="No capability was offered in this range." />
    </div>
  );
}

function UtilisationList({ title, rows, testId, empty }: { title: string; rows: Row[]; testId: string; empty: string }) {
  return (
    <section className="min-w-0">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-muted">{empty}</p>
      ) : (
        <ul className="space-y-2.5" data-testid={testId}>
          {rows.map((r) => {
            const pct = r.utilisation == null ? 0 : Math.min(100, Math.max(0, r.utilisation * 100));
            const tone = TONE[utilisationTone(r.utilisation)];
            return (
              <li key={r.key} data-testid="utilisation-row" data-key={r.key} data-value={r.utilisation ?? ""} className="min-w-0">
                <div className="flex items-baseline justify-between gap-2 text-sm">
                  <span className="min-w-0 truncate font-medium" title={r.label}>
                    {r.label}
                  </span>
                  <span className="shrink-0 tabular-nums">{formatRatio(r.utilisation)}</span>
                </div>
                <div
                  className="mt-1 h-2 overflow-hidden rounded-full bg-surface-2"
                  role="meter"
                  aria-label={`${r.label} utilisation`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(pct)}
                  aria-valuetext={formatRatio(r.utilisation)}
                >
                  <div className={`h-full rounded-full ${tone}`} style={{ width: `${pct}%` }} />
                </div>
                <div className="mt-0.5 text-xs text-muted tabular-nums">
                  busy {formatSlotHours(r.busySlotHours)} of {formatSlotHours(r.availableSlotHours)}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
