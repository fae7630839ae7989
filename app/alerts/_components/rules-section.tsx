"use client";
// The alert rules: everyone reads what each one watches and how long it waits; admins create,
// edit, switch off and delete them (built-in ones are switched off, not deleted), and move them
// in and out as YAML.
import { useState } from "react";
import type { RuleView } from "@/lib/api";
import { useCan } from "@/lib/client/use-can";
import { useAlertRules, useDeleteRule, useImportRules, useUpdateRule } from "@/lib/client/use-alerts";
import { Button, buttonClass } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Loading, Panel } from "@/components/panel";
import { SEVERITY_TONE } from "@/components/alerts/alert-view-model";
import { humanDuration } from "@/components/alerts/duration-fields";
import { describeCondition, KIND_LABEL } from "@/components/alerts/rule-condition";
import { ruleUpdate } from "@/components/alerts/rule-form-model";
import { CheckField, TextAreaField } from "@/components/form-fields";
import { RuleEditor } from "./rule-form";

export const RULES_EXPORT_URL = "/api/v1/alerts/rules/export";

export function RulesSection() {
  const rules = useAlertRules();
  const isAdmin = useCan("admin");
  const [editing, setEditing] = useState<string | null>(null);
  // Closing a form puts the focus back on the button that opened it (they mount again then).
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const close = () => {
    setReturnTo(editing);
    setEditing(null);
  };
  const list = rules.data?.rules ?? [];
  return (
    <Panel
      title={`Rules (${list.length})`}
      testId="alert-rules"
      actions={
        isAdmin && editing !== "new" ? (
          <Button variant="primary" onClick={() => setEditing("new")} autoFocus={returnTo === "new"} data-testid="rule-new">
            New rule
          </Button>
        ) : null
      }
    >
      <div className="space-y-3">
        <p className="text-sm text-muted">Each rule watches the fleet: an alert is pending while its condition holds, fires once it has held for the rule’s “for”, and is sent again at the repeat interval until it resolves or is acknowledged. Built-in rules are switched off rather than deleted.</p>
        <ErrorNotice error={rules.error} title="Could not load the rules" />
        {editing === "new" && <RuleEditor onDone={close} />}
        {rules.isLoading ? (
          <Loading label="Loading rules…" />
        ) : list.length === 0 ? (
          <p className="text-sm text-muted">No rules.</p>
        ) : (
          <ul className="grid gap-2 lg:grid-cols-2">
            {list.map((r) =>
              editing === r.id ? (
                <li key={r.id} className="lg:col-span-2">
                  <RuleEditor rule={r} onDone={close} />
                </li>
              ) : (
                <RuleItem key={r.id} rule={r} admin={isAdmin} onEdit={() => setEditing(r.id)} focusEdit={returnTo === r.id} />
              ),
            )}
          </ul>
        )}
        <RulesYaml />
      </div>
    </Panel>
  );
}

function RuleItem({ rule: r, admin, onEdit, focusEdit }: { rule: RuleView; admin: boolean; onEdit: () => void; focusEdit: boolean }) {
  const update = useUpdateRule();
  const remove = useDeleteRule();
  const labels = Object.entries(r.labels);
  // While the switch's save is under way it shows where it is going.
  const enabled = update.isPending && update.variables ? update.variables.enabled !== false : r.enabled;
  return (
    <li data-testid="rule" data-rule-id={r.id} data-rule-name={r.name} data-enabled={r.enabled} data-built-in={r.builtIn || undefined} className="min-w-0 rounded-lg border border-line px-3 py-2.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-1.5 text-xs leading-5 font-semibold uppercase ${SEVERITY_TONE[r.severity]}`}>{r.severity}</span>
        <span className="font-semibold break-all" data-testid="rule-name">
          {r.name}
        </span>
        <span className="text-xs text-muted" data-testid="rule-kind">
          {KIND_LABEL[r.kind]}
        </span>
        {r.builtIn && (
          <span className="rounded border border-line px-1.5 text-xs leading-5 text-muted" data-testid="rule-built-in">
            built-in
          </span>
        )}
        {!r.enabled && (
          <span className="rounded bg-surface-2 px-1.5 text-xs leading-5 text-muted" data-testid="rule-disabled">
            disabled
          </span>
        )}
      </div>
      <p className="mt-1 text-sm break-words" data-testid="rule-condition">
        Fires when {describeCondition(r.kind, r.params)}
      </p>
      <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs" data-testid="rule-timing">
        <div>
          <dt className="inline text-muted">for </dt>
          <dd className="inline font-medium">{humanDuration(r.forMs)}</dd>
        </div>
        <div>
          <dt className="inline text-muted">keep firing for </dt>
          <dd className="inline font-medium">{humanDuration(r.keepFiringForMs)}</dd>
        </div>
        <div>
          <dt className="inline text-muted">repeat every </dt>
          <dd className="inline font-medium">{humanDuration(r.repeatIntervalMs)}</dd>
        </div>
      </dl>
      {labels.length > 0 && (
        <ul className="mt-1.5 flex flex-wrap gap-1" aria-label={`Labels of ${r.name}`} data-testid="rule-labels">
          {labels.map(([k, v]) => (
            <li key={k} className="rounded bg-surface-2 px-1.5 font-mono text-xs leading-5 break-all">
              {k}={v}
            </li>
          ))}
        </ul>
      )}
      {admin && (
        <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-2">
          <CheckField
            role="switch"
            label={
              <>
                Enabled<span className="sr-only"> ({r.name})</span>
              </>
            }
            checked={enabled}
            onChange={(on) => update.mutate(ruleUpdate(r, { enabled: on }))}
            testId="rule-enabled"
          />
          <Button onClick={onEdit} autoFocus={focusEdit} data-testid="rule-edit" aria-label={`Edit ${r.name}`}>
            Edit
          </Button>
          {!r.builtIn && (
            <ConfirmButton question={`Delete ${r.name}?`} confirmLabel="Delete" variant="danger" onConfirm={() => remove.mutate({ id: r.id })} pending={remove.isPending} testId="rule-delete">
              Delete
            </ConfirmButton>
          )}
        </div>
      )}
      {(update.error || remove.error) && (
        <div className="mt-2">
          <ErrorNotice error={update.error ?? remove.error} title="Not changed" />
        </div>
      )}
    </li>
  );
}

const YAML_EXAMPLE = `rules:
  - name: GpuQueueSlow
    kind: queue_wait
    params: { target: 1m, window: 15m, minTasks: 3 }
    severity: warning
    for: 5m
    labels: { team: ml }`;

/** Export for everyone who reads rules; import (create or update by name) for admins. */
function RulesYaml() {
  return (
    <section aria-labelledby="rules-yaml-title" className="space-y-2 border-t border-line pt-3" data-testid="rules-yaml">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="rules-yaml-title" className="text-sm font-semibold">
          Rules as YAML
        </h3>
        <a href={RULES_EXPORT_URL} download="alert-rules.yaml" className={buttonClass("secondary")} data-testid="rules-export">
          Export as YAML
        </a>
      </div>
      <IfCan permission="admin">
        <ImportRules />
      </IfCan>
    </section>
  );
}

function ImportRules() {
  const imp = useImportRules();
  const [source, setSource] = useState("");
  const result = imp.data;
  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (source.trim()) imp.mutate({ source }, { onSuccess: () => setSource("") });
      }}
      data-testid="rules-import-form"
    >
      <TextAreaField
        label="Import rules from YAML"
        value={source}
        onChange={(e) => {
          setSource(e.target.value);
          if (imp.data) imp.reset();
        }}
        rows={7}
        wrap="off"
        placeholder={YAML_EXAMPLE}
        hint="A rule whose name exists is updated, the others are created. Durations as 90s, 5m, 4h; the export has every field."
        testId="rules-import-source"
      />
      <ErrorNotice error={imp.error} title="Nothing imported" />
      {result && (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="rules-import-result">
          {importSummary(result)}
        </p>
      )}
      <Button type="submit" disabled={imp.isPending || !source.trim()} data-testid="rules-import">
        {imp.isPending ? "Importing…" : "Import"}
      </Button>
    </form>
  );
}

function importSummary({ created, updated }: { created: string[]; updated: string[] }): string {
  const part = (verb: string, names: string[]) => (names.length ? `${verb} ${names.length} (${names.join(", ")})` : "");
  return `Imported: ${[part("created", created), part("updated", updated)].filter(Boolean).join("; ") || "no rules"}.`;
}
