"use client";
import { useState } from "react";
import type { AlertView } from "@/lib/api";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { TimeAgo } from "@/components/time-ago";
import { SEVERITY_TONE, identifyingLabels, matchersFor } from "@/components/alerts/alert-view-model";
import { useAcknowledge, useCreateSilence } from "@/lib/client/use-alerts";

const HOUR = 3_600_000;

/** One alert: what it says, since when, who acknowledged it; operators acknowledge or silence it. */
export function AlertCard({ a }: { a: AlertView }) {
  const ack = useAcknowledge();
  const silence = useCreateSilence();
  const [comment, setComment] = useState("");
  const [acking, setAcking] = useState(false);
  const live = a.phase !== "resolved";
  return (
    <li data-testid="alert" data-fingerprint={a.fingerprint} data-phase={a.phase} data-silenced={a.silencedBy.length > 0 || undefined} className="min-w-0 rounded-lg border border-line bg-surface px-3 py-2.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-1.5 text-xs leading-5 font-semibold uppercase ${SEVERITY_TONE[a.severity]}`}>{a.severity}</span>
        <span className="font-semibold break-all" data-testid="alert-name">
          {a.ruleName}
        </span>
        <span className="text-xs text-muted" data-testid="alert-phase">
          {a.phase === "firing" ? "firing" : a.phase === "pending" ? "pending" : "resolved"}{" "}
          <TimeAgo at={a.phase === "resolved" ? a.resolvedAt : (a.firingAt ?? a.activeAt)} />
        </span>
        {a.silencedBy.length > 0 && <span className="rounded bg-surface-2 px-1.5 text-xs leading-5 text-muted" data-testid="alert-silenced">silenced</span>}
      </div>
      <p className="mt-1 text-sm break-words" data-testid="alert-summary">
        {a.summary}
      </p>
      <ul className="mt-1.5 flex flex-wrap gap-1" aria-label="Labels">
        {identifyingLabels(a.labels).map(([k, v]) => (
          <li key={k} className="rounded bg-surface-2 px-1.5 font-mono text-xs leading-5 break-all">
            {k}={v}
          </li>
        ))}
      </ul>
      {a.acknowledged && (
        <p className="mt-1.5 text-xs text-muted" data-testid="alert-acknowledged">
          Acknowledged by {a.acknowledged.by} <TimeAgo at={a.acknowledged.at} />
          {a.acknowledged.comment ? `: “${a.acknowledged.comment}”` : ""}
        </p>
      )}
      {live && (
        <IfCan permission="operate">
          <div className="mt-2 flex flex-wrap items-center gap-2">
            {a.phase === "firing" && !a.acknowledged && !acking && (
              <Button data-testid="alert-ack" onClick={() => setAcking(true)}>
                Acknowledge
              </Button>
            )}
            {acking && (
              <form
                className="flex w-full flex-wrap items-center gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  ack.mutate({ id: a.fingerprint, comment }, { onSuccess: () => setAcking(false) });
                }}
              >
                <label className="sr-only" htmlFor={`ack-${a.fingerprint}`}>
                  Comment
                </label>
                <input id={`ack-${a.fingerprint}`} data-testid="alert-ack-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} placeholder="What you are doing about it (optional)" className="min-h-10 min-w-0 flex-1 rounded-md border border-line bg-surface px-3 text-sm" />
                <Button type="submit" variant="primary" data-testid="alert-ack-confirm" disabled={ack.isPending}>
                  Acknowledge
                </Button>
                <Button onClick={() => setAcking(false)}>Cancel</Button>
              </form>
            )}
            {a.silencedBy.length === 0 && (
              <Button data-testid="alert-silence" disabled={silence.isPending} onClick={() => silence.mutate({ matchers: matchersFor(a.labels), endsAt: Date.now() + HOUR, comment: `silenced from the alerts page: ${a.summary}`.slice(0, 500) })}>
                Silence 1 h
              </Button>
            )}
          </div>
          <ErrorNotice error={ack.error ?? silence.error} title="Could not change the alert" />
        </IfCan>
      )}
    </li>
  );
}
