"use client";
import { useEffect, useRef, useState } from "react";
import { inputClass } from "@/components/field";

const SEARCH_DEBOUNCE_MS = 300;

export interface ListFilterValue {
  status?: string;
  /** The second selector's value (an agent id, a template name, …). */
  scope?: string;
  search?: string;
}

/**
 * A list's filter bar: status, one scope selector (agent for tasks, template for runs) and a
 * search box that queries once typing pauses, not on every key. `testPrefix` names the
 * elements (`task-filter-status`, `task-filter-<scopeName>`, `task-filter-search`).
 */
export function ListFilters({
  value,
  onChange,
  statuses,
  scope,
  searchLabel,
  searchPlaceholder,
  testPrefix,
}: {
  value: ListFilterValue;
  onChange: (f: ListFilterValue) => void;
  statuses: readonly string[];
  scope: { name: string; label: string; all: string; options: { value: string; label: string }[]; /** The options are loaded on demand: called when the selector is first reached. */ onReach?: () => void };
  searchLabel: string;
  searchPlaceholder: string;
  testPrefix: string;
}) {
  const [search, setSearch] = useState(value.search ?? "");
  // Callers pass fresh objects each render (live list updates re-render often); the debounce
  // must restart only when the text changes, so it reads the latest value through a ref.
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };

  useEffect(() => {
    const next = search.trim() || undefined;
    if (next === latest.current.value.search) return;
    const t = setTimeout(() => latest.current.onChange({ ...latest.current.value, search: next }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, value.search]);

  return (
    <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-[10rem_14rem_minmax(0,1fr)]">
      <select
        aria-label="Status"
        data-testid={`${testPrefix}-status`}
        value={value.status ?? ""}
        onChange={(e) => onChange({ ...value, status: e.target.value || undefined })}
        className={inputClass}
      >
        <option value="">All statuses</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select
        aria-label={scope.label}
        data-testid={`${testPrefix}-${scope.name}`}
        value={value.scope ?? ""}
        onChange={(e) => onChange({ ...value, scope: e.target.value || undefined })}
        onFocus={scope.onReach}
        onPointerEnter={scope.onReach}
        onPointerDown={scope.onReach}
        className={inputClass}
      >
        <option value="">{scope.all}</option>
        {/* A value from the address bar that the list does not know (yet) stays selectable. */}
        {value.scope && !scope.options.some((o) => o.value === value.scope) && <option value={value.scope}>{value.scope}</option>}
        {scope.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label={searchLabel}
        placeholder={searchPlaceholder}
        data-testid={`${testPrefix}-search`}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className={`${inputClass} col-span-2 md:col-span-1`}
      />
    </div>
  );
}
