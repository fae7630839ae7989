"use client";
// Form inputs of the admin forms (alerts, pools): a visible label on each, the hint or the
// server's complaint under it (tied to the input with aria-describedby), and aria-invalid while
// it stands.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { inputClass } from "@/components/field";

function Note({ id, error, hint }: { id: string; error?: string | null; hint?: ReactNode }) {
  if (error)
    return (
      <p id={id} className="mt-1 text-xs text-red-700 dark:text-red-400" data-testid="field-error">
        {error}
      </p>
    );
  if (hint)
    return (
      <p id={id} className="mt-1 text-xs text-muted">
        {hint}
      </p>
    );
  return null;
}

type Common = { label: ReactNode; hint?: ReactNode; error?: string | null; testId?: string; className?: string };

export function TextField({ label, hint, error, testId, className = "", ...input }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, "className">) {
  const id = useId();
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} className={inputClass} data-testid={testId} autoComplete="off" {...input} />
      <Note id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

/** A number typed as text (so what is typed stays as typed), with the numeric keyboard on phones. */
export function NumberField(props: Common & Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "type">) {
  return <TextField inputMode="decimal" {...props} />;
}

export function TextAreaField({ label, hint, error, testId, className = "", ...input }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "className">) {
  const id = useId();
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} className={`${inputClass} font-mono`} data-testid={testId} spellCheck={false} {...input} />
      <Note id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({ label, hint, error, testId, className = "", children, ...select }: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, "className">) {
  const id = useId();
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} className={inputClass} data-testid={testId} {...select}>
        {children}
      </select>
      <Note id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

/** A checkbox with its label beside it, 40 px tall to tap. */
export function CheckField({ label, checked, onChange, testId, hint, role, disabled }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; testId?: string; hint?: ReactNode; role?: "switch"; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <div className="flex min-h-10 items-center gap-2.5">
        <input id={id} type="checkbox" role={role} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-note` : undefined} className="size-5 shrink-0 accent-[var(--accent)]" data-testid={testId} />
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
      </div>
      {hint && (
        <p id={`${id}-note`} className="text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}
