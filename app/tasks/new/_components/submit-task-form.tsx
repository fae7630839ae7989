"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { buildTaskSpec, capabilityProblem, emptyTaskForm, jsonProblem, labelProblem, normalizeCapability, type TaskFormErrors, type TaskFormValues } from "@/lib/client/task-form";
import { useSubmitTask } from "@/lib/client/use-tasks";
import { Button } from "@/components/button";
import { ChipInput } from "@/components/chip-input";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { Panel } from "@/components/panel";

const STRATEGIES = [
  { value: "", label: "Server default" },
  { value: "least-loaded", label: "Least loaded" },
  { value: "round-robin", label: "Round robin" },
  { value: "resource-aware", label: "Resource aware" },
  { value: "performance-weighted", label: "Performance weighted" },
];

export function SubmitTaskForm() {
  const router = useRouter();
  const submit = useSubmitTask();
  const [values, setValues] = useState<TaskFormValues>(emptyTaskForm);
  const [errors, setErrors] = useState<TaskFormErrors>({});
  const set = <K extends keyof TaskFormValues>(key: K, value: TaskFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const payloadProblem = jsonProblem(values.payload);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const built = buildTaskSpec(values);
    if (built.errors) {
      setErrors(built.errors);
      return;
    }
    submit.mutate(built.spec, { onSuccess: (task) => router.push(`/tasks/${task.id}`) });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-3xl space-y-4" data-testid="submit-task-form">
      <Panel title="What to run">
        <div className="space-y-4">
          <Field label="Title" error={errors.title}>
            <input name="title" data-testid="task-title-input" value={values.title} onChange={(e) => set("title", e.target.value)} maxLength={200} placeholder="Build the docs" className={inputClass} />
          </Field>
          <Field label="Command" hint="Optional. Shell-style agents run it; {{command}} in their template is replaced by it." error={errors.command}>
            <textarea
              name="command"
              data-testid="task-command-input"
              value={values.command}
              onChange={(e) => set("command", e.target.value)}
              rows={3}
              placeholder="npm run build"
              className={`${inputClass} font-mono`}
            />
          </Field>
          <Field label="Payload (JSON)" hint="Optional. Handed to the agent as is." error={errors.payload ?? (values.payload.trim() ? payloadProblem : null)}>
            <textarea
              name="payload"
              data-testid="task-payload-input"
              value={values.payload}
              onChange={(e) => set("payload", e.target.value)}
              rows={5}
              spellCheck={false}
              placeholder={'{ "branch": "main" }'}
              aria-invalid={Boolean(payloadProblem)}
              className={`${inputClass} font-mono ${payloadProblem ? "border-red-500" : ""}`}
            />
          </Field>
        </div>
      </Panel>

      <Panel title="Who can run it">
        <div className="space-y-4">
          <div>
            <ChipInput
              label="Required capabilities"
              value={values.requires}
              onChange={(v) => set("requires", v)}
              validate={capabilityProblem}
              normalize={normalizeCapability}
              placeholder="shell, typescript:3"
              hint="name:level (1–5); press Enter after each."
              testId="task-requires-input"
            />
            {errors.requires && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors.requires}</p>}
          </div>
          <div>
            <ChipInput
              label="Labels"
              value={values.labels}
              onChange={(v) => set("labels", v)}
              validate={labelProblem}
              placeholder="region=eu"
              hint="key=value; only agents with all these labels qualify."
              testId="task-labels-input"
            />
            {errors.labels && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors.labels}</p>}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Priority" hint="Higher runs first (-1000 to 1000)." error={errors.priority}>
              <input type="number" inputMode="numeric" value={values.priority} onChange={(e) => set("priority", e.target.value)} min={-1000} max={1000} className={inputClass} />
            </Field>
            <Field label="Strategy">
              <select value={values.strategy} onChange={(e) => set("strategy", e.target.value)} className={inputClass} data-testid="task-strategy-input">
                {STRATEGIES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </div>
      </Panel>

      <Panel title="Limits and retries">
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Timeout (seconds)" hint="Empty for none." error={errors.timeoutSeconds}>
            <input type="number" inputMode="decimal" min={0.1} step="any" value={values.timeoutSeconds} onChange={(e) => set("timeoutSeconds", e.target.value)} className={inputClass} />
          </Field>
          <Field label="Max attempts" error={errors.maxAttempts}>
            <input type="number" inputMode="numeric" min={1} max={100} value={values.maxAttempts} onChange={(e) => set("maxAttempts", e.target.value)} className={inputClass} />
          </Field>
          <Field label="Backoff (ms)" hint="Wait before a retry." error={errors.backoffMs}>
            <input type="number" inputMode="numeric" min={0} max={3600000} value={values.backoffMs} onChange={(e) => set("backoffMs", e.target.value)} className={inputClass} />
          </Field>
          <Field label="Idempotency key" hint="Optional. Submitting the same key again returns the first task." error={errors.idempotencyKey} className="sm:col-span-3">
            <input value={values.idempotencyKey} onChange={(e) => set("idempotencyKey", e.target.value)} maxLength={200} className={inputClass} />
          </Field>
        </div>
      </Panel>

      <ErrorNotice error={submit.error} title="Could not submit" />
      {Object.values(errors).some(Boolean) && <ErrorNotice error="Some fields need attention; see the messages above." />}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={submit.isPending} data-testid="submit-task">
          {submit.isPending ? "Submitting…" : "Submit task"}
        </Button>
        <Button
          onClick={() => {
            setValues(emptyTaskForm);
            setErrors({});
            submit.reset();
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
