"use client";
import { useState, type FormEvent } from "react";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/policy";
import { useCreateToken } from "@/lib/client/use-tokens";
import { agentCommand, useOrigin } from "@/lib/client/use-origin";
import { Button } from "@/components/button";
import { CopyButton } from "@/components/copy-button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { Panel } from "@/components/panel";

/** What each scope lets a token do (lib/policy.ts has the table). */
const SCOPE_HINT: Record<TokenScope, string> = {
  agent: "Runs agents: registers, takes and reports tasks, messages other agents. Submits tasks only if you allow it.",
  submit: "Scripts and CI: submits tasks, starts runs, cancels, retries, approves, messages agents.",
  read: "Dashboards and monitors: reads everything, changes nothing.",
  admin: "Everything an admin user may do, including tokens, users and templates.",
};

/** The new token's secret, shown once; the server keeps only a hash of it. */
function NewSecret({ name, scope, canSubmit, secret, onDone }: { name: string; scope: TokenScope; canSubmit: boolean; secret: string; onDone: () => void }) {
  const origin = useOrigin();
  const command = agentCommand(origin, secret);
  return (
    <div data-testid="token-secret" className="space-y-3 rounded-md border border-emerald-500/40 bg-emerald-500/10 p-4">
      <p className="text-sm font-medium">
        Token “{name}” created{scope === "agent" && canSubmit ? " (its agents may also submit tasks)" : ""}. Copy the secret now: it is not shown again.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <code data-testid="token-secret-value" className="min-w-0 flex-1 rounded-md border border-line bg-surface px-3 py-2 font-mono text-sm break-all select-all">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy secret" testId="copy-secret" />
      </div>
      {scope === "agent" && (
        <div>
          <p className="mb-1 text-sm text-muted">Start an agent with it (replace the name and capability to suit):</p>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <pre data-testid="token-agent-command" className="min-w-0 flex-1 rounded-md border border-line bg-surface px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all">
              {command}
            </pre>
            <CopyButton text={command} label="Copy command" testId="copy-agent-command" />
          </div>
        </div>
      )}
      <Button onClick={onDone}>I have copied it</Button>
    </div>
  );
}

export function CreateToken() {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("agent");
  const [days, setDays] = useState("");
  const [canSubmit, setCanSubmit] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (!n) return setProblem("Give the token a name, e.g. the machine it is for.");
    let expiresInDays: number | undefined;
    if (days.trim()) {
      expiresInDays = Number(days);
      if (!Number.isInteger(expiresInDays) || expiresInDays < 1) return setProblem("Expiry is a whole number of days, 1 or more (or empty for never).");
    }
    setProblem(null);
    create.mutate(
      { name: n, scope, canSubmit: scope === "agent" && canSubmit, ...(expiresInDays ? { expiresInDays } : {}) },
      {
        onSuccess: () => {
          setName("");
          setCanSubmit(false);
        },
      },
    );
  }

  return (
    <Panel title="Create a token">
      {create.data ? (
        <NewSecret name={create.data.token.name} scope={create.data.token.scope} canSubmit={create.data.token.canSubmit} secret={create.data.secret} onDone={() => create.reset()} />
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-3" data-testid="create-token-form">
          <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_10rem] sm:items-end">
            <Field label="Name">
              <input value={name} onChange={(e) => setName(e.target.value)} placeholder="build-box-1" maxLength={64} className={inputClass} data-testid="token-name-input" />
            </Field>
            <Field label="Scope">
              <select value={scope} onChange={(e) => setScope(e.target.value as TokenScope)} className={inputClass} data-testid="token-scope-input" aria-describedby="token-scope-hint">
                {TOKEN_SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Expires in (days)">
              <input type="number" inputMode="numeric" min={1} value={days} onChange={(e) => setDays(e.target.value)} placeholder="never" className={inputClass} />
            </Field>
          </div>
          <ul id="token-scope-hint" className="space-y-0.5 text-sm" data-testid="token-scope-hints">
            {TOKEN_SCOPES.map((s) => (
              <li key={s} className={s === scope ? "text-fg" : "text-muted"}>
                <span className={`font-mono ${s === scope ? "font-semibold" : ""}`}>{s}</span> — {SCOPE_HINT[s]}
              </li>
            ))}
          </ul>
          {scope === "agent" && (
            <div className="flex items-start gap-2.5 rounded-md border border-line bg-surface-2 px-3 py-2.5">
              <input
                id="token-can-submit"
                type="checkbox"
                checked={canSubmit}
                onChange={(e) => setCanSubmit(e.target.checked)}
                aria-describedby="token-can-submit-hint"
                className="mt-0.5 size-5 shrink-0 accent-[var(--accent)]"
                data-testid="token-can-submit"
              />
              <div className="min-w-0 text-sm">
                <label htmlFor="token-can-submit" className="font-medium">
                  This agent may also submit tasks
                </label>
                <p id="token-can-submit-hint" className="text-muted">
                  Leave this off unless the agent starts work of its own: tasks are shell commands, and a token that may submit them can run code on every agent.
                </p>
              </div>
            </div>
          )}
          <ErrorNotice error={problem ?? create.error} />
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="create-token">
            {create.isPending ? "Creating…" : "Create token"}
          </Button>
        </form>
      )}
    </Panel>
  );
}
