"use client";
import { useState } from "react";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { DayRangeFields } from "./day-range-fields";
import { QUICK_PERIODS, dayValue, periodOf } from "@/components/reports/report-periods";
import { useCreateReport } from "@/lib/client/use-reports";

/** A report for the last day, week or month, or for any days; it appears in the list when made. */
export function MakeReportForm({ timeZone }: { timeZone: string }) {
  const create = useCreateReport();
  const [title, setTitle] = useState("");
  const [fromDay, setFromDay] = useState(() => dayValue(Date.now() - 7 * 86_400_000));
  const [toDay, setToDay] = useState(() => dayValue(Date.now()));
  const [problem, setProblem] = useState<string | null>(null);

  const make = (from: number, to: number, label: string) => {
    setProblem(null);
    create.mutate({ from, to, title: title.trim() || `Fleet report, ${label}`, timeZone });
  };

  return (
    <div className="space-y-3">
      <Field label="Title" hint="Optional; the period is said in the report.">
        <input className={inputClass} value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} placeholder="Fleet report" data-testid="report-title" />
      </Field>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Quick periods">
        {QUICK_PERIODS.map((p) => (
          <Button key={p.id} disabled={create.isPending} onClick={() => make(Date.now() - p.ms, Date.now(), p.label.toLowerCase())} data-testid={`report-quick-${p.id}`}>
            {p.label}
          </Button>
        ))}
      </div>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const p = periodOf(fromDay, toDay, Date.now());
          if ("error" in p) return setProblem(p.error);
          make(p.from, p.to, `${fromDay} to ${toDay}`);
        }}
      >
        <DayRangeFields fromDay={fromDay} toDay={toDay} onFrom={setFromDay} onTo={setToDay} testPrefix="report" />
        <Button type="submit" variant="primary" disabled={create.isPending} data-testid="report-make">
          {create.isPending ? "Making the report…" : "Make report for these days"}
        </Button>
      </form>
      {problem && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {problem}
        </p>
      )}
      <ErrorNotice error={create.error} title="Could not make the report" />
      {create.data && (
        <p role="status" className="text-sm text-muted" data-testid="report-made">
          Made “{create.data.title}”.{" "}
          <a className="text-accent underline" href={create.data.htmlUrl} target="_blank" rel="noopener">
            View it
          </a>
        </p>
      )}
    </div>
  );
}
