"use client";
import { useId, useState, type KeyboardEvent } from "react";

/**
 * A list of short values typed one at a time ("typescript:3", "region=eu"): Enter, comma or
 * leaving the field adds the text as a chip if `validate` accepts it.
 */
export function ChipInput({
  value,
  onChange,
  validate,
  normalize = (s) => s,
  placeholder,
  label,
  hint,
  testId,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  validate: (text: string) => string | null;
  normalize?: (text: string) => string;
  placeholder?: string;
  label: string;
  hint?: string;
  testId?: string;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  function commit(): boolean {
    const t = text.trim();
    if (!t) return true;
    const problem = validate(t);
    if (problem) {
      setError(problem);
      return false;
    }
    const chip = normalize(t);
    if (!value.includes(chip)) onChange([...value, chip]);
    setText("");
    setError(null);
    return true;
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      commit();
    } else if (e.key === "Backspace" && text === "" && value.length) {
      onChange(value.slice(0, -1));
    }
  }

  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <div className="flex min-h-10 flex-wrap items-center gap-1.5 rounded-md border border-line bg-surface px-1.5 py-1 focus-within:border-accent">
        {value.map((chip) => (
          <span key={chip} className="inline-flex items-center rounded border border-line bg-surface-2 pl-2 font-mono text-xs" data-testid={testId ? `${testId}-chip` : undefined}>
            <span className="break-all">{chip}</span>
            <button type="button" aria-label={`Remove ${chip}`} onClick={() => onChange(value.filter((c) => c !== chip))} className="flex size-10 items-center justify-center text-muted hover:text-fg">
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          data-testid={testId}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (error) setError(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={commit}
          placeholder={value.length ? "" : placeholder}
          className="min-h-10 min-w-32 flex-1 bg-transparent px-1.5 text-base outline-none placeholder:text-muted/70 sm:text-sm"
        />
      </div>
      {error ? <p className="mt-1 text-xs text-red-600 dark:text-red-400">{error}</p> : hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
    </div>
  );
}
