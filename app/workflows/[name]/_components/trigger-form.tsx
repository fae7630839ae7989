"use client";
// The form that starts a run, generated from the template's parameters: text, number, checkbox
// or select by type, defaults prefilled, required ones marked, checked before sending.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ParamDef } from "@/lib/workflow";
import { errorMessage } from "@/lib/client/error-message";
import { useStartRun } from "@/lib/client/use-runs";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { buildParamValues, initialParamDraft, paramNamedIn, type ParamDraft, type ParamErrors } from "@/components/workflows/param-form";

function Label({ p }: { p: ParamDef }) {
  return (
    <span className="font-mono">
      {p.name}
      {p.required && (
        <span className="ml-0.5 text-red-600 dark:text-red-400" title="required">
          *<span className="sr-only"> (required)</span>
        </span>
      )}
    </span>
  );
}

export function TriggerForm({ templateName, version, params, autoFocus = false }: { templateName: string; version?: number; params: ParamDef[]; autoFocus?: boolean }) {
  const router = useRouter();
  const start = useStartRun();
  const [draft, setDraft] = useState<ParamDraft>(() => initialParamDraft(params));
  const [errors, setErrors] = useState<ParamErrors>({});
  const form = useRef<HTMLFormElement>(null);

  // Another version may have other parameters.
  const signature = JSON.stringify(params);
  useEffect(() => {
    setDraft(initialParamDraft(params));
    setErrors({});
  }, [signature]);

  useEffect(() => {
    if (!autoFocus || !form.current) return;
    form.current.scrollIntoView({ block: "start" });
    form.current.querySelector<HTMLElement>("input, select, button")?.focus({ preventScroll: true });
  }, [autoFocus]);

  const set = (name: string, value: string | boolean) => {
    setDraft((d) => ({ ...d, [name]: value }));
    if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const built = buildParamValues(params, draft);
    if (built.errors) {
      setErrors(built.errors);
      return;
    }
    start.mutate(
      { template: templateName, version, params: built.values },
      {
        onSuccess: (run) => router.push(`/runs/${run.id}`),
        onError: (err) => {
          const name = paramNamedIn(errorMessage(err), params);
          if (name) setErrors((x) => ({ ...x, [name]: errorMessage(err) }));
        },
      },
    );
  }

  return (
    <form ref={form} id="run" onSubmit={onSubmit} noValidate className="scroll-mt-32 space-y-3 md:scroll-mt-20" data-testid="trigger-form">
      {params.length === 0 && <p className="text-sm text-muted">This template takes no parameters.</p>}
      {params.map((p) => {
        const id = `param-${p.name}`;
        if (p.type === "boolean") {
          return (
            <div key={p.name}>
              <label className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md border border-line px-3 py-2 hover:bg-surface-2">
                <input type="checkbox" data-testid={id} name={p.name} checked={draft[p.name] === true} onChange={(e) => set(p.name, e.target.checked)} className="size-5 shrink-0 accent-[var(--accent)]" />
                <span className="min-w-0">
                  <span className="block text-sm font-medium">
                    <Label p={p} />
                  </span>
                  {p.description && <span className="block text-xs text-muted">{p.description}</span>}
                </span>
              </label>
              {errors[p.name] && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors[p.name]}</p>}
            </div>
          );
        }
        const value = typeof draft[p.name] === "string" ? (draft[p.name] as string) : "";
        const invalid = Boolean(errors[p.name]);
        return (
          <Field key={p.name} label={<Label p={p} />} hint={p.description} error={errors[p.name]}>
            {p.type === "enum" ? (
              <select data-testid={id} name={p.name} value={value} onChange={(e) => set(p.name, e.target.value)} aria-invalid={invalid} className={inputClass}>
                {(!p.required || !value) && <option value="">{p.required ? "Choose…" : "Template default"}</option>}
                {(p.values ?? []).map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid={id}
                name={p.name}
                type={p.type === "number" ? "number" : "text"}
                inputMode={p.type === "number" ? "decimal" : undefined}
                step={p.type === "number" ? "any" : undefined}
                value={value}
                required={p.required}
                onChange={(e) => set(p.name, e.target.value)}
                aria-invalid={invalid}
                className={`${inputClass} ${invalid ? "border-red-500" : ""}`}
              />
            )}
          </Field>
        );
      })}
      <ErrorNotice error={start.error} title="Could not start the run" />
      <Button type="submit" variant="primary" className="min-h-11 w-full" data-testid="start-run" disabled={start.isPending}>
        {start.isPending ? "Starting…" : version ? `Start a run of v${version}` : "Start a run"}
      </Button>
    </form>
  );
}
