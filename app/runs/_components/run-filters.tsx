"use client";
import { useEffect, useState } from "react";
import type { RunStatus } from "@/lib/workflow";
import type { RunFilter } from "@/lib/client/use-runs";
import { useTemplates } from "@/lib/client/use-workflows";
import { inputClass } from "@/components/field";

const STATUSES: RunStatus[] = ["running", "succeeded", "failed", "canceled"];
const SEARCH_DEBOUNCE_MS = 300;

export function RunFilters({ value, onChange }: { value: RunFilter; onChange: (f: RunFilter) => void }) {
  const { data: templates } = useTemplates();
  const [search, setSearch] = useState(value.search ?? "");

  useEffect(() => {
    const next = search.trim() || undefined;
    if (next === value.search) return;
    const t = setTimeout(() => onChange({ ...value, search: next }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, value, onChange]);

  return (
    <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-[10rem_14rem_minmax(0,1fr)]">
      <select
        aria-label="Status"
        data-testid="run-filter-status"
        value={value.status ?? ""}
        onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as RunStatus | undefined })}
        className={inputClass}
      >
        <option value="">All statuses</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select
        aria-label="Template"
        data-testid="run-filter-template"
        value={value.template ?? ""}
        onChange={(e) => onChange({ ...value, template: e.target.value || undefined })}
        className={inputClass}
      >
        <option value="">All templates</option>
        {value.template && !templates?.some((t) => t.name === value.template) && <option value={value.template}>{value.template}</option>}
        {templates?.map((t) => (
          <option key={t.name} value={t.name}>
            {t.name}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="Search runs"
        placeholder="Search id, template or who started it"
        data-testid="run-filter-search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className={`${inputClass} col-span-2 md:col-span-1`}
      />
    </div>
  );
}
