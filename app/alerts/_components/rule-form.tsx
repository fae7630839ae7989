"use client";
// New rule / edit rule: the kind picks which parameter fields show, durations are entered in
// minutes (or seconds, hours, days), the failure rate as a percentage. A refused save keeps
// every field as typed and shows the server's sentence beside the field it names.
import { useState, type FormEvent } from "react";
import type { RuleView } from "@/lib/api";
import { errorMessage } from "@/lib/client/error-message";
import { useCreateRule, useUpdateRule } from "@/lib/client/use-alerts";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { formProblem, type FormProblem } from "@/components/alerts/form-problem";
import { describeCondition, ERROR_GROUP_KINDS, ERROR_GROUP_KIND_LABEL, KIND_LABEL, RULE_KINDS, type RuleKind } from "@/components/alerts/rule-condition";
import { emptyRuleForm, formToRuleInput, RULE_FIELD_LABELS, ruleToForm, SEVERITIES, UNITS, type KindFields, type LabelRow, type RuleForm, type Severity } from "@/components/alerts/rule-form-model";
import { CheckField, SelectField, TextField } from "@/components/form-fields";
import { DurationInput } from "./duration-input";

const fieldsetClass = "min-w-0 space-y-3 rounded-md border border-line p-3";
const legendClass = "px-1 text-sm font-semibold";

export function RuleEditor({ rule, onDone }: { rule?: RuleView; onDone: () => void }) {
  const [form, setForm] = useState<RuleForm>(() => (rule ? ruleToForm(rule) : emptyRuleForm()));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const create = useCreateRule();
  const update = useUpdateRule();
  const pending = create.isPending || update.isPending;
  const err = (field: string) => (problem?.field === field ? problem.text : null);
  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const setParams = <K extends RuleKind>(kind: K, patch: Partial<KindFields[K]>) => setForm((f) => ({ ...f, params: { ...f.params, [kind]: { ...f.params[kind], ...patch } } }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const converted = formToRuleInput(form);
    if (!converted.ok) return setProblem({ field: converted.field, text: converted.text, sentence: `${RULE_FIELD_LABELS[converted.field] ?? converted.field}: ${converted.text}.` });
    setProblem(null);
    const onError = (error: unknown) => setProblem(formProblem(errorMessage(error), RULE_FIELD_LABELS));
    if (rule) update.mutate({ ...converted.value, id: rule.id }, { onSuccess: onDone, onError });
    else create.mutate(converted.value, { onSuccess: onDone, onError });
  }

  const preview = formToRuleInput({ ...form, name: form.name || "x" });
  const title = rule ? `Edit rule ${rule.name}` : "New rule";
  return (
    <form onSubmit={onSubmit} noValidate aria-label={title} className="space-y-3 rounded-md border border-accent/40 bg-surface-2/40 p-3 sm:p-4" data-testid="rule-form">
      <h3 className="text-sm font-semibold">{title}</h3>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1fr)_auto] lg:items-start">
        <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} maxLength={64} placeholder="GpuFailing" autoFocus hint="Becomes the alertname label: letters, digits and _." error={err("name")} testId="rule-name-input" />
        <SelectField label="Kind" value={form.kind} onChange={(e) => set({ kind: e.target.value as RuleKind })} disabled={rule?.builtIn} hint={rule?.builtIn ? "A built-in rule keeps its kind." : undefined} error={err("kind")} testId="rule-kind-input">
          {RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Severity" value={form.severity} onChange={(e) => set({ severity: e.target.value as Severity })} error={err("severity")} testId="rule-severity-input">
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <div className="lg:pt-6">
          <CheckField label="Enabled" checked={form.enabled} onChange={(enabled) => set({ enabled })} testId="rule-enabled-input" />
        </div>
      </div>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>Condition</legend>
        <KindParams form={form} setParams={setParams} err={err} />
        <p className="text-sm text-muted" data-testid="rule-condition-preview" aria-live="polite">
          Fires when {preview.ok ? describeCondition(preview.value.kind, preview.value.params as Record<string, unknown>) : "…"}
        </p>
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>Timing</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          <DurationInput label="For" value={form.forDuration} onChange={(forDuration) => set({ forDuration })} units={UNITS.short} hint="Pending until the condition has held this long (0: fires at once)." error={err("forMs")} testId="rule-for-input" />
          <DurationInput label="Keep firing for" value={form.keepFiringFor} onChange={(keepFiringFor) => set({ keepFiringFor })} units={UNITS.short} hint="Still firing this long after the condition stops holding." error={err("keepFiringForMs")} testId="rule-keep-firing-input" />
          <DurationInput label="Repeat every" value={form.repeatInterval} onChange={(repeatInterval) => set({ repeatInterval })} units={UNITS.long} hint="Sent again while firing and not acknowledged (at least 1 min)." error={err("repeatIntervalMs")} testId="rule-repeat-input" />
        </div>
      </fieldset>

      <LabelRows rows={form.labels} onChange={(labels) => set({ labels })} error={err("labels")} />

      <ErrorNotice error={problem?.sentence} title={rule ? "Not saved" : "Not created"} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={pending} data-testid="rule-save">
          {pending ? "Saving…" : rule ? "Save rule" : "Create rule"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="rule-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}

function KindParams({ form, setParams, err }: { form: RuleForm; setParams: <K extends RuleKind>(kind: K, patch: Partial<KindFields[K]>) => void; err: (field: string) => string | null }) {
  const grid = "grid gap-3 sm:grid-cols-3";
  const windowField = (kind: "queue_wait" | "failure_rate" | "dead_tasks" | "error_group", hint: string) => (
    <DurationInput label="Window" value={form.params[kind].window} onChange={(window) => setParams(kind, { window })} units={UNITS.window} hint={hint} error={err("params.windowMs")} testId="rule-window-input" />
  );
  switch (form.kind) {
    case "agents_offline":
      return <CheckField label="Also agents their owner stopped" checked={form.params.agents_offline.includeStopped} onChange={(includeStopped) => setParams("agents_offline", { includeStopped })} hint="Off: an agent stopped on purpose is not an outage." testId="rule-include-stopped-input" />;
    case "queue_wait": {
      const p = form.params.queue_wait;
      return (
        <div className={grid}>
          <DurationInput label="Queue-wait p95 over" value={p.target} onChange={(target) => setParams("queue_wait", { target })} units={UNITS.short} hint="Per capability; at least 1 s." error={err("params.targetMs")} testId="rule-target-input" />
          {windowField("queue_wait", "Measured over this window (at least 1 min).")}
          <TextField label="At least this many tasks" inputMode="numeric" value={p.minTasks} onChange={(e) => setParams("queue_wait", { minTasks: e.target.value })} hint="Started in the window, so one slow task is not an alert." error={err("params.minTasks")} testId="rule-min-tasks-input" />
        </div>
      );
    }
    case "failure_rate": {
      const p = form.params.failure_rate;
      return (
        <div className={grid}>
          <TextField label="Failure rate at least (%)" inputMode="decimal" value={p.thresholdPct} onChange={(e) => setParams("failure_rate", { thresholdPct: e.target.value })} hint="Failed and dead tasks of those that ended, per capability." error={err("params.threshold")} testId="rule-threshold-input" />
          {windowField("failure_rate", "Measured over this window (at least 1 min).")}
          <TextField label="At least this many tasks" inputMode="numeric" value={p.minTasks} onChange={(e) => setParams("failure_rate", { minTasks: e.target.value })} hint="Ended in the window." error={err("params.minTasks")} testId="rule-min-tasks-input" />
        </div>
      );
    }
    case "dead_tasks": {
      const p = form.params.dead_tasks;
      return (
        <div className={grid}>
          <TextField label="At least this many dead tasks" inputMode="numeric" value={p.min} onChange={(e) => setParams("dead_tasks", { min: e.target.value })} error={err("params.min")} testId="rule-min-input" />
          {windowField("dead_tasks", "Counted over this window (at least 1 min).")}
        </div>
      );
    }
    case "approval_waiting":
      return (
        <div className={grid}>
          <DurationInput label="Waiting longer than" value={form.params.approval_waiting.olderThan} onChange={(olderThan) => setParams("approval_waiting", { olderThan })} units={UNITS.long} hint="At least 1 min." error={err("params.olderThanMs")} testId="rule-older-than-input" />
        </div>
      );
    case "error_group": {
      const p = form.params.error_group;
      return (
        <div className={grid}>
          <fieldset className="min-w-0" aria-describedby={err("params.kinds") ? "rule-kinds-error" : undefined}>
            <legend className="mb-1 text-sm font-medium">Error groups that are</legend>
            {ERROR_GROUP_KINDS.map((k) => (
              <CheckField key={k} label={ERROR_GROUP_KIND_LABEL[k]} checked={p.kinds.includes(k)} onChange={(on) => setParams("error_group", { kinds: on ? [...p.kinds, k] : p.kinds.filter((x) => x !== k) })} testId={`rule-error-kind-${k}`} />
            ))}
            {err("params.kinds") && (
              <p id="rule-kinds-error" className="mt-1 text-xs text-red-600 dark:text-red-400">
                {err("params.kinds")}
              </p>
            )}
          </fieldset>
          {windowField("error_group", "How recent the change must be (at least 1 min).")}
        </div>
      );
    }
    case "forecast_shortage":
      return (
        <div className={grid}>
          <DurationInput label="Shortfall within" value={form.params.forecast_shortage.within} onChange={(within) => setParams("forecast_shortage", { within })} units={UNITS.forecast} hint="How far ahead the capacity forecast looks (1 h to 7 days)." error={err("params.withinMs")} testId="rule-within-input" />
        </div>
      );
    case "pool_at_max":
      return <p className="text-sm text-muted">Fires for each pool whose last decision wanted more agents than its maximum.</p>;
    case "pool_crash_loop":
      return (
        <div className={grid}>
          <TextField label="Crashes in 10 min" inputMode="numeric" value={form.params.pool_crash_loop.crashes} onChange={(e) => setParams("pool_crash_loop", { crashes: e.target.value })} hint="Agents of one pool that died unasked." error={err("params.crashes")} testId="rule-crashes-input" />
        </div>
      );
  }
}

function LabelRows({ rows, onChange, error }: { rows: LabelRow[]; onChange: (rows: LabelRow[]) => void; error: string | null }) {
  const edit = (i: number, patch: Partial<LabelRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className={fieldsetClass} aria-describedby="rule-labels-note" data-testid="rule-labels">
      <legend className={legendClass}>Labels</legend>
      <p id="rule-labels-note" className={`text-xs ${error ? "text-red-600 dark:text-red-400" : "text-muted"}`}>
        {error ?? "Added to every alert of this rule, e.g. team=ml; channels route on them."}
      </p>
      {rows.length > 0 && (
        <ul className="space-y-2">
          {rows.map((r, i) => (
            <li key={i} className="grid grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto] items-center gap-2">
              <input aria-label={`Label ${i + 1} name`} value={r.key} onChange={(e) => edit(i, { key: e.target.value })} placeholder="team" autoComplete="off" className="min-h-10 w-full min-w-0 rounded-md border border-line bg-surface px-3 font-mono text-base sm:text-sm" data-testid="rule-label-key" />
              <span aria-hidden="true" className="text-muted">
                =
              </span>
              <input aria-label={`Label ${i + 1} value`} value={r.value} onChange={(e) => edit(i, { value: e.target.value })} placeholder="ml" autoComplete="off" className="min-h-10 w-full min-w-0 rounded-md border border-line bg-surface px-3 font-mono text-base sm:text-sm" data-testid="rule-label-value" />
              <Button variant="ghost" className="px-2.5" aria-label={`Remove label ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button onClick={() => onChange([...rows, { key: "", value: "" }])} data-testid="rule-label-add">
        Add label
      </Button>
    </fieldset>
  );
}
