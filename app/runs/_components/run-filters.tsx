"use client";
import { RUN_STATUSES, type RunStatus } from "@/lib/api";
import type { RunFilter } from "@/lib/client/use-runs";
import { useTemplates } from "@/lib/client/use-workflows";
import { ListFilters } from "@/components/list-filters";

const STATUSES: readonly RunStatus[] = RUN_STATUSES;

export function RunFilters({ value, onChange }: { value: RunFilter; onChange: (f: RunFilter) => void }) {
  const { data: templates } = useTemplates();
  return (
    <ListFilters
      value={{ status: value.status, scope: value.template, search: value.search }}
      onChange={(f) => onChange({ ...value, status: f.status as RunStatus | undefined, template: f.scope, search: f.search })}
      statuses={STATUSES}
      scope={{ name: "template", label: "Template", all: "All templates", options: (templates ?? []).map((t) => ({ value: t.name, label: t.name })) }}
      searchLabel="Search runs"
      searchPlaceholder="Search id, template or who started it"
      testPrefix="run-filter"
    />
  );
}
