"use client";
// New pool (admins): the card its agents get, the bounds and the target, predictive on or off;
// the rest of the policy in a collapsed Advanced section with the defaults filled in. A refused
// create keeps every field as typed and shows the server's sentence beside the field it names.
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { capabilityProblem, labelProblem, normalizeCapability } from "@/lib/client/task-form";
import { errorMessage } from "@/lib/client/error-message";
import { useCreatePool } from "@/lib/client/use-pools";
import { Button } from "@/components/button";
import { ChipInput } from "@/components/chip-input";
import { ErrorNotice } from "@/components/error-notice";
import type { FormProblem } from "@/components/alerts/form-problem";
import { CheckField, TextAreaField, TextField, NumberField, SelectField } from "@/components/form-fields";
import { ADVANCED_FIELDS, emptyPoolForm, formToPoolInput, POOL_FIELD_LABELS, poolProblem, type PoolForm, type PoolFormAdvanced } from "@/components/pools/pool-form";

const fieldsetClass = "min-w-0 space-y-3 rounded-md border border-line p-3";
const legendClass = "px-1 text-sm font-semibold";
const chipError = (text: string | null) => text && <p className="mt-1 text-xs text-red-700 dark:text-red-400" data-testid="field-error">{text}</p>;

export function NewPoolForm({ onDone }: { onDone: () => void }) {
  const router = useRouter();
  const create = useCreatePool();
  const [form, setForm] = useState<PoolForm>(emptyPoolForm);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const set = (patch: Partial<PoolForm>) => setForm((f) => ({ ...f, ...patch }));
  const setAdv = (patch: Partial<PoolFormAdvanced>) => setForm((f) => ({ ...f, advanced: { ...f.advanced, ...patch } }));
  const err = (field: string) => (problem?.field === field ? problem.text : null);
  const show = (p: FormProblem) => {
    setProblem(p);
    if (p.field && ADVANCED_FIELDS.has(p.field)) setAdvancedOpen(true);
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const r = formToPoolInput(form);
    if (!r.ok) return show({ field: r.field, text: r.text, sentence: `${POOL_FIELD_LABELS[r.field] ?? r.field}: ${r.text}.` });
    setProblem(null);
    create.mutate(r.value, { onSuccess: (pool) => router.push(`/pools/${encodeURIComponent(pool.name)}`), onError: (error) => show(poolProblem(errorMessage(error))) });
  }

  const a = form.advanced;
  const num = (label: ReactNode, field: string, value: string, onChange: (v: string) => void, testId: string, hint?: string) => (
    <NumberField label={label} value={value} onChange={(e) => onChange(e.target.value)} error={err(field)} hint={hint} testId={testId} />
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New pool" className="space-y-3 rounded-md border border-accent/40 bg-surface-2/40 p-3 sm:p-4" data-testid="pool-form">
      <h2 className="text-sm font-semibold">New pool</h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} maxLength={40} placeholder="builders" autoFocus hint="Lower-case letters, digits and -; its agents are named after it." error={err("name")} testId="pool-name-input" />
        <SelectField label="Provider" value={form.provider} onChange={(e) => set({ provider: e.target.value as PoolForm["provider"] })} hint={form.provider === "local" ? "The server starts switchboard agent processes on its machine." : form.provider === "host" ? "switchboard pool-host processes on other machines start them." : "Something else (KEDA) runs the agents; the pool says how many."} error={err("provider")} testId="pool-provider-input">
          <option value="local">local</option>
          <option value="host">host</option>
          <option value="external">external</option>
        </SelectField>
        {num("Slots per agent", "card.slots", form.slots, (slots) => set({ slots }), "pool-slots-input", "Tasks one agent runs at a time.")}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="min-w-0">
          <ChipInput label="Capabilities" value={form.capabilities} onChange={(capabilities) => set({ capabilities })} validate={capabilityProblem} normalize={normalizeCapability} placeholder="build, typescript:3" hint="name:level (1–5); press Enter after each." testId="pool-capabilities-input" />
          {chipError(err("card.capabilities"))}
        </div>
        <div className="min-w-0">
          <ChipInput label="Labels" value={form.labels} onChange={(labels) => set({ labels })} validate={labelProblem} placeholder="region=eu" hint="key=value; pool=<name> is added." testId="pool-labels-input" />
          {chipError(err("card.labels"))}
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        {num("Min agents", "policy.min", form.min, (min) => set({ min }), "pool-min-input", "0 lets it sleep when idle.")}
        {num("Max agents", "policy.max", form.max, (max) => set({ max }), "pool-max-input")}
        {num("Target backlog per slot", "policy.targetBacklogPerSlot", form.targetBacklogPerSlot, (targetBacklogPerSlot) => set({ targetBacklogPerSlot }), "pool-target-input", "Queued tasks a slot may have waiting before another agent is wanted.")}
      </div>
      <div className="grid gap-3 sm:grid-cols-3 sm:items-start">
        <CheckField label="Predictive" checked={form.predictive} onChange={(predictive) => set({ predictive })} hint="Also follow the capacity forecast of its first capability." testId="pool-predictive-input" />
        {form.predictive && num("Lead (minutes)", "policy.predictive.leadMs", form.leadMinutes, (leadMinutes) => set({ leadMinutes }), "pool-lead-input", "How far ahead the forecast is followed.")}
      </div>

      {form.provider !== "external" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextAreaField label="Runner template" rows={3} value={form.template} onChange={(e) => set({ template: e.target.value })} placeholder={"./build.sh\n{{payload.target}}"} hint="One argument per line, what follows -- for each agent; empty runs each task's own command." error={err("launch.template")} testId="pool-template-input" />
          <TextAreaField label="Environment" rows={3} value={form.env} onChange={(e) => set({ env: e.target.value })} placeholder="CI=1" hint="KEY=value, one per line, for each agent." error={err("launch.env")} testId="pool-env-input" />
        </div>
      )}

      <details open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)} className="min-w-0 rounded-md border border-line" data-testid="pool-advanced">
        <summary className="flex min-h-10 cursor-pointer items-center px-3 text-sm font-semibold">Advanced policy</summary>
        <div className="space-y-3 border-t border-line p-3">
          <fieldset className={fieldsetClass}>
            <legend className={legendClass}>Scale up</legend>
            <div className="grid gap-3 grid-cols-2 lg:grid-cols-4">
              {num(<><span className="sr-only">Up: </span>Agents per step</>, "policy.up.agents", a.upAgents, (upAgents) => setAdv({ upAgents }), "pool-up-agents-input")}
              {num(<><span className="sr-only">Up: </span>Percent per step</>, "policy.up.percent", a.upPercent, (upPercent) => setAdv({ upPercent }), "pool-up-percent-input")}
              {num(<><span className="sr-only">Up: </span>Period (s)</>, "policy.up.periodMs", a.upPeriodS, (upPeriodS) => setAdv({ upPeriodS }), "pool-up-period-input")}
              {num(<><span className="sr-only">Up: </span>Stabilisation (s)</>, "policy.up.stabilizationMs", a.upStabilizationS, (upStabilizationS) => setAdv({ upStabilizationS }), "pool-up-stabilization-input")}
            </div>
            <p className="text-xs text-muted">Per period it adds at most the larger of the agents and the percent; stabilisation follows the lowest wish of that window.</p>
          </fieldset>
          <fieldset className={fieldsetClass}>
            <legend className={legendClass}>Scale down</legend>
            <div className="grid gap-3 grid-cols-2 lg:grid-cols-4">
              {num(<><span className="sr-only">Down: </span>Agents per step</>, "policy.down.agents", a.downAgents, (downAgents) => setAdv({ downAgents }), "pool-down-agents-input")}
              {num(<><span className="sr-only">Down: </span>Percent per step</>, "policy.down.percent", a.downPercent, (downPercent) => setAdv({ downPercent }), "pool-down-percent-input")}
              {num(<><span className="sr-only">Down: </span>Period (s)</>, "policy.down.periodMs", a.downPeriodS, (downPeriodS) => setAdv({ downPeriodS }), "pool-down-period-input")}
              {num(<><span className="sr-only">Down: </span>Stabilisation (s)</>, "policy.down.stabilizationMs", a.downStabilizationS, (downStabilizationS) => setAdv({ downStabilizationS }), "pool-down-stabilization-input")}
            </div>
            <p className="text-xs text-muted">Stabilisation follows the highest wish of that window, so a dip does not stop agents early.</p>
          </fieldset>
          <div className="grid gap-3 grid-cols-2 lg:grid-cols-4">
            {num("Tolerance (%)", "policy.tolerance", a.tolerancePct, (tolerancePct) => setAdv({ tolerancePct }), "pool-tolerance-input", "Changes this small are ignored.")}
            {num("Cooldown (s)", "policy.cooldownMs", a.cooldownS, (cooldownS) => setAdv({ cooldownS }), "pool-cooldown-input", "No scale-down this long after a change.")}
            {num("Activation backlog", "policy.activationBacklog", a.activationBacklog, (activationBacklog) => setAdv({ activationBacklog }), "pool-activation-input", "From zero, wake only past this many queued tasks.")}
            {num("Drain timeout (s)", "launch.drainTimeoutMs", a.drainTimeoutS, (drainTimeoutS) => setAdv({ drainTimeoutS }), "pool-drain-input", "A stopping agent may finish its tasks this long.")}
          </div>
        </div>
      </details>

      <ErrorNotice error={problem?.sentence} title="Not created" />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={create.isPending} data-testid="pool-create">
          {create.isPending ? "Creating…" : "Create pool"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="pool-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
