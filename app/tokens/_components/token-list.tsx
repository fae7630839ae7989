"use client";
import type { TokenView } from "@/lib/views";
import { formatTimestamp } from "@/lib/client/format";
import { useRevokeToken, useTokens } from "@/lib/client/use-tokens";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, Panel } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";

function tokenState(t: TokenView, now: number): "active" | "revoked" | "expired" {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt <= now) return "expired";
  return "active";
}

const STATE_TONE = {
  active: "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300",
  revoked: "bg-zinc-500/15 text-zinc-500",
  expired: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
};

const GRID = "md:grid md:grid-cols-[minmax(0,1fr)_8rem_5rem_6rem_8rem_9rem_8rem] md:items-center md:gap-3";

function TokenRow({ token, now }: { token: TokenView; now: number }) {
  const revoke = useRevokeToken();
  const state = tokenState(token, now);
  return (
    <li data-testid="token-row" data-token-name={token.name} data-state={state} className={`rounded-md border border-line bg-surface px-3 py-2.5 md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent ${GRID}`}>
      <div className="flex min-w-0 items-center justify-between gap-2">
        <span className="truncate font-medium">{token.name}</span>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium md:hidden ${STATE_TONE[state]}`}>{state}</span>
      </div>
      <div className="truncate font-mono text-xs text-muted">{token.prefix}…</div>
      <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted md:contents">
        <span className="md:text-sm">{token.scope}</span>
        <span title={formatTimestamp(token.createdAt)}>
          <span className="md:hidden">created </span>
          <TimeAgo at={token.createdAt} />
        </span>
        <span>
          <span className="md:hidden">last used </span>
          <TimeAgo at={token.lastUsedAt} never="never used" />
        </span>
        <span>{token.revokedAt ? `revoked ${formatTimestamp(token.revokedAt)}` : token.expiresAt ? `expires ${formatTimestamp(token.expiresAt)}` : "no expiry"}</span>
      </div>
      <div className="mt-2 flex flex-col items-start gap-1 md:mt-0 md:items-end">
        {state === "revoked" ? (
          <span className={`hidden rounded-full px-2 py-0.5 text-xs font-medium md:inline ${STATE_TONE[state]}`}>{state}</span>
        ) : (
          <ConfirmButton testId="revoke-token" variant="danger" question="Revoke? Agents using it disconnect." confirmLabel="Revoke" pending={revoke.isPending} onConfirm={() => revoke.mutate({ id: token.id })}>
            Revoke
          </ConfirmButton>
        )}
        <ErrorNotice error={revoke.error} />
      </div>
    </li>
  );
}

export function TokenList() {
  const { data, error, isPending, dataUpdatedAt } = useTokens();
  return (
    <Panel title="Tokens">
      {isPending ? (
        <Loading label="Loading tokens…" />
      ) : error ? (
        <ErrorNotice error={error} title="Could not load tokens" />
      ) : data.length === 0 ? (
        <p className="text-sm text-muted">No tokens yet. Create one above to connect your first agent.</p>
      ) : (
        <>
          <div className={`hidden border-b border-line pb-1 text-xs font-medium tracking-wide text-muted uppercase ${GRID}`}>
            <span>Name</span>
            <span>Prefix</span>
            <span>Scope</span>
            <span>Created</span>
            <span>Last used</span>
            <span>Expiry</span>
            <span />
          </div>
          <ul className="space-y-2 md:space-y-0" data-testid="token-list">
            {data.map((t) => (
              <TokenRow key={t.id} token={t} now={dataUpdatedAt} />
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
