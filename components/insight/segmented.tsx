"use client";

/**
 * A small set of exclusive choices (a range, a dimension, a horizon) as pressed/unpressed
 * buttons in one group: every choice visible and one tap away on a phone, unlike a select.
 * Each button's test id is `<testPrefix>-<value>`.
 */
export function Segmented<T extends string>({ label, options, value, onChange, testPrefix }: { label: string; options: readonly { value: T; label: string }[]; value: T; onChange: (v: T) => void; testPrefix: string }) {
  return (
    <div role="group" aria-label={label} data-testid={testPrefix} data-value={value} className="inline-flex max-w-full min-w-0 overflow-x-auto rounded-md border border-line bg-surface p-0.5">
      {options.map((o) => {
        const on = o.value === value;
        return (
          <button
            key={o.value}
            type="button"
            aria-pressed={on}
            data-testid={`${testPrefix}-${o.value}`}
            onClick={() => onChange(o.value)}
            className={`min-h-9 shrink-0 rounded px-3 text-sm font-medium whitespace-nowrap ${on ? "bg-accent text-accent-fg" : "text-muted hover:bg-surface-2 hover:text-fg"}`}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}
