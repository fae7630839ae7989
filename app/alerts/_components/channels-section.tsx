"use client";
// Where notifications go (admins only, even to read: a channel's URL may itself be a secret):
// each channel's target, whether it signs, its route, a test send and its delivery log.
import { useState } from "react";
import type { ChannelView } from "@/lib/api";
import { formatTimestamp } from "@/lib/client/format";
import { useAlertChannels, useChannelDeliveries, useDeleteChannel, useTestChannel } from "@/lib/client/use-alerts";
import { Button } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Loading, Panel } from "@/components/panel";
import { SEVERITY_TONE } from "@/components/alerts/alert-view-model";
import { CHANNEL_KIND_LABEL, channelTarget, describeOutcome, describeRoute } from "@/components/alerts/channel-form-model";
import { elapsed } from "@/components/alerts/duration-fields";
import { ChannelEditor } from "./channel-form";

/** Renders nothing, and asks for nothing, for anyone but an admin. */
export function ChannelsSection() {
  return (
    <IfCan permission="admin">
      <Channels />
    </IfCan>
  );
}

function Channels() {
  const channels = useAlertChannels();
  const [editing, setEditing] = useState<string | null>(null);
  // Closing a form puts the focus back on the button that opened it (they mount again then).
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const close = () => {
    setReturnTo(editing);
    setEditing(null);
  };
  const list = channels.data?.channels ?? [];
  return (
    <Panel
      title={`Channels (${list.length})`}
      testId="alert-channels"
      actions={
        editing !== "new" ? (
          <Button variant="primary" onClick={() => setEditing("new")} autoFocus={returnTo === "new"} data-testid="channel-new">
            New channel
          </Button>
        ) : null
      }
    >
      <div className="space-y-3">
        <p className="text-sm text-muted">Where firing and resolved alerts are sent. Each channel takes the alerts its route lets through (nothing while a silence covers them); a failed delivery is retried after 1, 2, 4 and 8 s, and every attempt is in its log.</p>
        <ErrorNotice error={channels.error} title="Could not load the channels" />
        {editing === "new" && <ChannelEditor onDone={close} />}
        {channels.isLoading ? (
          <Loading label="Loading channels…" />
        ) : list.length === 0 ? (
          editing !== "new" && <p className="text-sm text-muted">No channels yet: alerts show here and as toasts, but nobody is notified elsewhere.</p>
        ) : (
          <ul className="space-y-2">
            {list.map((c) =>
              editing === c.id ? (
                <li key={c.id}>
                  <ChannelEditor channel={c} onDone={close} />
                </li>
              ) : (
                <ChannelItem key={c.id} channel={c} onEdit={() => setEditing(c.id)} focusEdit={returnTo === c.id} />
              ),
            )}
          </ul>
        )}
      </div>
    </Panel>
  );
}

const chip = "rounded px-1.5 text-xs leading-5";

function ChannelItem({ channel: c, onEdit, focusEdit }: { channel: ChannelView; onEdit: () => void; focusEdit: boolean }) {
  const test = useTestChannel();
  const remove = useDeleteChannel();
  const [logOpen, setLogOpen] = useState(false);
  return (
    <li data-testid="channel" data-channel-id={c.id} data-channel-name={c.name} data-enabled={c.enabled} className="min-w-0 rounded-lg border border-line px-3 py-2.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold break-all" data-testid="channel-name">
          {c.name}
        </span>
        <span className={`${chip} border border-line`} data-testid="channel-kind">
          {CHANNEL_KIND_LABEL[c.kind]}
        </span>
        {c.kind === "webhook" && (
          <span className={`${chip} ${c.signed ? "bg-emerald-600/15 text-emerald-800 dark:text-emerald-300" : "bg-surface-2 text-muted"}`} data-testid="channel-signed" data-signed={c.signed}>
            {c.signed ? "signed" : "unsigned"}
          </span>
        )}
        {!c.enabled && (
          <span className={`${chip} bg-surface-2 text-muted`} data-testid="channel-disabled">
            disabled
          </span>
        )}
      </div>
      <p className="mt-1 font-mono text-xs break-all" data-testid="channel-target">
        {channelTarget(c)}
      </p>
      <div className="mt-1.5 flex flex-wrap items-center gap-1" data-testid="channel-route-chips">
        <span className="sr-only">Route:</span>
        <span className={`${chip} font-semibold uppercase ${SEVERITY_TONE[c.minSeverity]}`} title="Lowest severity">
          ≥ {c.minSeverity}
        </span>
        {c.matchers.map((m) => (
          <span key={m} className={`${chip} bg-surface-2 font-mono break-all`} data-testid="channel-matcher">
            {m}
          </span>
        ))}
        {c.groupBy.length > 0 && <span className={`${chip} border border-line text-muted`}>by {c.groupBy.join(", ")}</span>}
      </div>
      <p className="mt-1 text-sm break-words" data-testid="channel-route">
        <span className="font-medium">Routing:</span> {describeRoute(c)}.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <Button onClick={() => test.mutate({ id: c.id })} disabled={test.isPending} data-testid="channel-test" aria-label={`Send a test to ${c.name}`}>
          {test.isPending ? "Sending…" : "Send test"}
        </Button>
        <Button onClick={onEdit} autoFocus={focusEdit} data-testid="channel-edit" aria-label={`Edit ${c.name}`}>
          Edit
        </Button>
        <ConfirmButton question={`Delete ${c.name}?`} confirmLabel="Delete" variant="danger" onConfirm={() => remove.mutate({ id: c.id })} pending={remove.isPending} testId="channel-delete">
          Delete
        </ConfirmButton>
      </div>
      {test.data && (
        <p role="status" data-testid="channel-test-result" data-ok={test.data.ok} className={`mt-2 text-sm break-words ${test.data.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>
          Test: {describeOutcome(test.data)}
        </p>
      )}
      {(test.error || remove.error) && (
        <div className="mt-2">
          <ErrorNotice error={test.error ?? remove.error} title="Could not do that" />
        </div>
      )}
      <details className="mt-1" onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary className="flex min-h-10 cursor-pointer items-center text-sm text-accent select-none" data-testid="channel-deliveries-toggle">
          Deliveries
        </summary>
        {logOpen && <DeliveryLog channelId={c.id} />}
      </details>
    </li>
  );
}

function DeliveryLog({ channelId }: { channelId: string }) {
  const deliveries = useChannelDeliveries(channelId);
  const list = deliveries.data?.deliveries ?? [];
  return (
    <div className="space-y-2">
      <ErrorNotice error={deliveries.error} title="Could not load the deliveries" />
      {deliveries.isLoading ? (
        <Loading label="Loading deliveries…" />
      ) : list.length === 0 ? (
        <p className="text-sm text-muted">Nothing sent yet. “Send test” sends one now.</p>
      ) : (
        <ol className="divide-y divide-line rounded-md border border-line" aria-label="Last delivery attempts" data-testid="channel-deliveries">
          {list.map((d) => (
            <li key={d.id} data-testid="delivery" data-ok={d.ok} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-3 py-1.5 text-sm sm:grid sm:grid-cols-[11rem_5.5rem_4rem_8rem_minmax(0,1fr)]">
              <time className="text-xs text-muted tabular-nums sm:text-sm" dateTime={new Date(d.at).toISOString()}>
                {formatTimestamp(d.at)}
              </time>
              <span className="text-xs sm:text-sm">attempt {d.attempt}</span>
              <span className={`text-xs font-medium sm:text-sm ${d.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`} data-testid="delivery-ok">
                {d.ok ? "ok" : "failed"}
              </span>
              <span className="text-xs tabular-nums sm:text-sm">
                {d.status != null ? `HTTP ${d.status}` : "—"} · {elapsed(d.durationMs)}
              </span>
              <span className="min-w-0 text-xs break-words text-muted sm:text-sm">
                {d.groupKey === "test" ? "test" : `${d.alerts} alert${d.alerts === 1 ? "" : "s"}`}
                {d.error && d.error !== `HTTP ${d.status}` ? ` · ${d.error}` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
      <Button variant="ghost" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching} data-testid="channel-deliveries-refresh">
        {deliveries.isFetching ? "Refreshing…" : "Refresh"}
      </Button>
    </div>
  );
}
