"use client";
import { Field, inputClass } from "@/components/field";

/** From one day through another, as two date inputs side by side (a report's period, an export's). */
export function DayRangeFields({ fromDay, toDay, onFrom, onTo, testPrefix }: { fromDay: string; toDay: string; onFrom: (day: string) => void; onTo: (day: string) => void; testPrefix: string }) {
  return (
    <div className="grid grid-cols-2 gap-2">
      <Field label="From">
        <input type="date" className={inputClass} value={fromDay} onChange={(e) => onFrom(e.target.value)} data-testid={`${testPrefix}-from`} />
      </Field>
      <Field label="To (included)">
        <input type="date" className={inputClass} value={toDay} onChange={(e) => onTo(e.target.value)} data-testid={`${testPrefix}-to`} />
      </Field>
    </div>
  );
}
