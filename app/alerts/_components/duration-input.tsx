"use client";
import { useId } from "react";
import { inputClass } from "@/components/field";
import { UNIT_LABEL, type DurationUnit, type DurationValue } from "@/components/alerts/duration-fields";

/** An amount and a unit ("5" "minutes"): people never type milliseconds. */
export function DurationInput({
  label,
  value,
  onChange,
  units,
  hint,
  error,
  testId,
}: {
  label: string;
  value: DurationValue;
  onChange: (next: DurationValue) => void;
  units: readonly DurationUnit[];
  hint?: string;
  error?: string | null;
  testId?: string;
}) {
  const id = useId();
  // inputClass is full width; here the amount takes the room the unit leaves.
  const box = inputClass.replace("w-full ", "");
  const noteId = `${id}-note`;
  // A unit the field does not offer (a value from the API) is still shown as it is.
  const offered = units.includes(value.unit) ? units : [...units, value.unit];
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={value.amount}
          onChange={(e) => onChange({ ...value, amount: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || hint ? noteId : undefined}
          className={`${box} w-0 flex-1`}
          data-testid={testId}
        />
        <select aria-label={`${label}: unit`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })} className={`${box} w-28 shrink-0 px-2`} data-testid={testId ? `${testId}-unit` : undefined}>
          {offered.map((u) => (
            <option key={u} value={u}>
              {UNIT_LABEL[u]}
            </option>
          ))}
        </select>
      </div>
      {error ? (
        <p id={noteId} className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={noteId} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
