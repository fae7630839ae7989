import type { ReactNode } from "react";

/** Inputs are 40 px tall and 16 px text on phones (smaller text makes iOS zoom in on focus). */
export const inputClass =
  "min-h-10 w-full min-w-0 rounded-md border border-line bg-surface px-3 py-2 text-base sm:text-sm placeholder:text-muted/70 focus:border-accent focus:outline-none disabled:opacity-60";

export function Field({ label, hint, error, children, className = "" }: { label: ReactNode; hint?: ReactNode; error?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <label className={`block min-w-0 ${className}`}>
      <span className="mb-1 block text-sm font-medium">{label}</span>
      {children}
      {error ? <span className="mt-1 block text-xs text-red-600 dark:text-red-400">{error}</span> : hint ? <span className="mt-1 block text-xs text-muted">{hint}</span> : null}
    </label>
  );
}
