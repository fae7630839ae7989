import { memo } from "react";
import type { AuditEntry } from "@/lib/client/use-audit";
import { formatJson, formatTimestamp } from "@/lib/client/format";
import { TimeAgo } from "@/components/time-ago";

const OUTCOME_TONE: Record<AuditEntry["outcome"], string> = {
  ok: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  denied: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
  failed: "bg-red-500/15 text-red-700 dark:text-red-300",
};

/** One audit entry: a card on phones, a row of the bordered list from md up. Details are JSON shown as text. */
export const AuditRow = memo(function AuditRow({ entry }: { entry: AuditEntry }) {
  // Logins are recorded before a role applies ("-").
  const who = [entry.role !== "-" ? entry.role : null, entry.actorKind === "token" ? "token" : null].filter(Boolean).join(", ");
  return (
    <li
      data-testid="audit-row"
      data-action={entry.action}
      data-actor={entry.actor}
      data-outcome={entry.outcome}
      className="min-w-0 rounded-md border border-line bg-surface px-3 py-2.5 md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span data-testid="audit-outcome" className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${OUTCOME_TONE[entry.outcome]}`}>
          {entry.outcome}
        </span>
        <span className="min-w-0 font-mono text-sm font-medium break-all" data-testid="audit-action">
          {entry.action}
        </span>
        {entry.target && (
          <span className="min-w-0 font-mono text-xs break-all text-muted" data-testid="audit-target">
            → {entry.target}
          </span>
        )}
        <span className="ml-auto text-xs whitespace-nowrap text-muted" title={formatTimestamp(entry.at)}>
          <TimeAgo at={entry.at} />
        </span>
      </div>
      <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
        <span className="min-w-0 break-all">
          by{" "}
          <span className="font-medium text-fg" data-testid="audit-actor">
            {entry.actor}
          </span>
          {who && ` (${who})`}
        </span>
        <span className="break-all">from {entry.ip}</span>
        <span>{formatTimestamp(entry.at)}</span>
      </div>
      {entry.details && (
        // Focusable: a long entry scrolls, and a keyboard must be able to scroll it too.
        <pre data-testid="audit-details" tabIndex={0} aria-label={`Details of ${entry.action}`} className="mt-2 max-h-40 overflow-auto rounded-md border border-line bg-surface-2 px-2 py-1.5 font-mono text-xs whitespace-pre-wrap break-all">
          {formatJson(entry.details)}
        </pre>
      )}
    </li>
  );
});
