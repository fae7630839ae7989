"use client";
import { useState } from "react";
import { buttonClass } from "@/components/button";
import { DayRangeFields } from "./day-range-fields";
import { dayValue, periodOf } from "@/components/reports/report-periods";

const TABLES = [
  { id: "tasks", label: "Tasks", what: "the tasks created" },
  { id: "runs", label: "Runs", what: "the workflow runs started" },
  { id: "alerts", label: "Alerts", what: "every alert transition" },
] as const;

/** CSV of a period's tasks, runs or alert transitions, straight from the REST API. */
export function ExportPanel() {
  const [fromDay, setFromDay] = useState(() => dayValue(Date.now() - 86_400_000));
  const [toDay, setToDay] = useState(() => dayValue(Date.now()));
  // Computed on render: "now" only bounds the end of a period that reaches today.
  const p = periodOf(fromDay, toDay, Date.now() + 60_000);
  return (
    <div className="space-y-3">
      <DayRangeFields fromDay={fromDay} toDay={toDay} onFrom={setFromDay} onTo={setToDay} testPrefix="export" />
      {"error" in p ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {p.error}
        </p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {TABLES.map((t) => (
            <a key={t.id} href={`/api/v1/export/${t.id}?from=${p.from}&to=${p.to}`} download className={buttonClass("secondary", "min-h-9 px-3 text-xs")} data-testid={`export-${t.id}`} aria-label={`Download ${t.what} in these days as CSV`}>
              {t.label} CSV
            </a>
          ))}
        </div>
      )}
      <p className="text-xs text-muted">At most 100,000 rows per file.</p>
    </div>
  );
}
