"use client";
import type { ReportMeta } from "@/lib/api";
import { buttonClass } from "@/components/button";
import { formatWhen } from "@/components/insight/format";

/** Each report with its period and who made it; the page opens in a new tab, the PDF downloads. */
export function ReportList({ reports, timeZone }: { reports: readonly ReportMeta[]; timeZone: string }) {
  if (!reports.length)
    return (
      <p className="py-4 text-center text-sm text-muted" data-testid="reports-empty">
        No reports yet. The daily one is made at its scheduled time, or make one now for any period.
      </p>
    );
  return (
    <ul className="divide-y divide-line" aria-label="Reports">
      {reports.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 py-2.5" data-testid="report-row" data-report-id={r.id}>
          <div className="min-w-0">
            <p className="font-medium break-words">{r.title}</p>
            <p className="text-xs text-muted">
              {formatWhen(r.from, timeZone)} – {formatWhen(r.to, timeZone)} · made {formatWhen(r.createdAt, timeZone)}
              {r.createdBy ? ` by ${r.createdBy}` : r.scheduleId ? " on schedule" : ""}
            </p>
          </div>
          <div className="flex shrink-0 gap-2">
            <a href={r.htmlUrl} target="_blank" rel="noopener" className={buttonClass("secondary", "min-h-9 px-3 text-xs")} data-testid="report-view" aria-label={`View ${r.title} of ${formatWhen(r.to, timeZone)}`}>
              View
            </a>
            <a href={r.pdfUrl} download className={buttonClass("secondary", "min-h-9 px-3 text-xs")} data-testid="report-pdf" aria-label={`Download ${r.title} of ${formatWhen(r.to, timeZone)} as PDF`}>
              PDF
            </a>
          </div>
        </li>
      ))}
    </ul>
  );
}
