"use client";
import type { TokenView } from "@/lib/api";
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
  active: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  revoked: "bg-zinc-500/15 text-zinc-600",
  expired: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
};

/** A table from lg up (narrower screens get a card per token: seven columns do not fit). */
const GRID = "lg:grid lg:grid-cols-[minmax(0,1fr)_9.5rem_9rem_6rem_9rem_7rem] lg:items-center lg:gap-3";

/** The scope as a chip; an agent token that may submit says so, in the colour of a caution. */
function ScopeChip({ token }: { token: TokenView }) {
  const mayAlsoSubmit = token.scope === "agent" && token.canSubmit;
  return (
    <span
      data-testid="token-scope"
      data-can-submit={mayAlsoSubmit}
      title={mayAlsoSubmit ? "An agent token that may also submit tasks" : undefined}
      className={`inline-flex w-fit items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${mayAlsoSubmit ? "bg-amber-500/15 text-amber-800 dark:text-amber-300" : "bg-surface-2 text-fg"}`}
    >
      {token.scope}
      {mayAlsoSubmit && " · may submit"}
    </span>
  );
}

function TokenRow({ token, now }: { token: TokenView; now: number }) {
  const revoke = useRevokeToken();
  const state = tokenState(token, now);
  return (
    <li
      data-testid="token-row"
      data-token-name={token.name}
      data-state={state}
      className={`rounded-md border border-line bg-surface px-3 py-2.5 lg:rounded-none lg:border-x-0 lg:border-t-0 lg:bg-transparent ${GRID}`}
    >
      <div className="min-w-0">
        <div className="flex min-w-0 items-center justify-between gap-2">
          <span className="truncate font-medium">{token.name}</span>
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium lg:hidden ${STATE_TONE[state]}`}>{state}</span>
        </div>
        <div className="truncate font-mono text-xs text-muted">{token.prefix}…</div>
      </div>
      <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted lg:contents">
        <ScopeChip token={token} />
        <span title={formatTimestamp(token.createdAt)} className="lg:flex lg:flex-col">
          <span className="lg:hidden">created </span>
          <TimeAgo at={token.createdAt} />
          <span data-testid="token-created-by" title={token.createdBy ? undefined : "Made with an API token, or before makers were recorded"}>
            {` by ${token.createdBy ?? "unknown"}`}
          </span>
        </span>
        <span>
          {token.lastUsedAt != null && <span className="lg:hidden">last used </span>}
          <TimeAgo at={token.lastUsedAt} never="never used" />
        </span>
        <span>{token.revokedAt ? `revoked ${formatTimestamp(token.revokedAt)}` : token.expiresAt ? `expires ${formatTimestamp(token.expiresAt)}` : "no expiry"}</span>
      </div>
      <div className="mt-2 flex flex-col items-start gap-1 lg:mt-0 lg:items-end">
        {state === "revoked" ? (
          <span className={`hidden rounded-full px-2 py-0.5 text-xs font-medium lg:inline ${STATE_TONE[state]}`}>{state}</span>
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
          <div className={`hidden border-b border-line px-3 pb-1 text-xs font-medium tracking-wide text-muted uppercase ${GRID}`}>
            <span>Name</span>
            <span>Scope</span>
            <span>Created</span>
            <span>Last used</span>
            <span>Expiry</span>
            <span />
          </div>
          <ul className="space-y-2 lg:space-y-0" data-testid="token-list">
            {data.map((t) => (
              <TokenRow key={t.id} token={t} now={dataUpdatedAt} />
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
