"use client";
import type { AnalyticsSummary } from "@/lib/api";
import { simulatedText } from "./format";

/**
 * Said on every insight page while the store holds replayed history: the figures are real
 * computations over simulated work, and nobody should mistake them for their fleet's. Not
 * dismissible, and pinned under the bar so it stays in view while the page scrolls.
 */
export function SimulatedBanner({ simulated }: { simulated: AnalyticsSummary["simulated"] | undefined }) {
  if (!simulated) return null;
  return (
    <div
      role="note"
      data-testid="simulated-banner"
      data-from={simulated.from}
      data-to={simulated.to}
      className="sticky top-14 z-10 mb-4 flex items-start gap-2 rounded-md border border-amber-500/50 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 sm:py-2 sm:text-sm shadow-sm dark:bg-amber-950 dark:text-amber-100"
    >
      <svg aria-hidden viewBox="0 0 16 16" className="mt-0.5 size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
        <path d="M8 1.8 14.6 13.5H1.4L8 1.8Z" strokeLinejoin="round" />
        <path d="M8 6.2v3.4M8 11.6v.1" />
      </svg>
      <span className="min-w-0 break-words" suppressHydrationWarning>
        {simulatedText(simulated)}
      </span>
    </div>
  );
}
