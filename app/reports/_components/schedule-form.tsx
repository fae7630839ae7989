"use client";
import { useState } from "react";
import type { ChannelView } from "@/lib/api";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { describeCron } from "@/components/reports/report-periods";
import { useCreateSchedule } from "@/lib/client/use-reports";

/** A new schedule: a cron expression read in a time zone, the period it covers, catch-up, channels. */
export function ScheduleForm({ timeZone, channels }: { timeZone: string; channels: readonly ChannelView[] }) {
  const create = useCreateSchedule();
  const [name, setName] = useState("");
  const [cron, setCron] = useState("0 8 * * 1-5");
  const [tz, setTz] = useState(timeZone);
  const [period, setPeriod] = useState<"day" | "week">("day");
  const [catchUp, setCatchUp] = useState<"skip" | "catch-up">("skip");
  const [picked, setPicked] = useState<string[]>([]);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim(), cron: cron.trim(), timeZone: tz.trim(), period, catchUp, channelIds: picked, enabled: true }, { onSuccess: () => setName("") });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name">
          <input className={inputClass} required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} placeholder="Team report" data-testid="schedule-name" />
        </Field>
        <Field label="When (cron)" hint={`minute hour day month weekday: ${describeCron(cron)}`}>
          <input className={`${inputClass} font-mono`} required value={cron} onChange={(e) => setCron(e.target.value)} data-testid="schedule-cron" />
        </Field>
        <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin">
          <input className={inputClass} required value={tz} onChange={(e) => setTz(e.target.value)} data-testid="schedule-tz" />
        </Field>
        <Field label="Covers">
          <select className={inputClass} value={period} onChange={(e) => setPeriod(e.target.value as "day" | "week")} data-testid="schedule-period">
            <option value="day">the 24 h before</option>
            <option value="week">the 7 days before</option>
          </select>
        </Field>
        <Field label="After downtime">
          <select className={inputClass} value={catchUp} onChange={(e) => setCatchUp(e.target.value as "skip" | "catch-up")}>
            <option value="skip">skip missed reports</option>
            <option value="catch-up">catch up (up to 10)</option>
          </select>
        </Field>
      </div>
      <fieldset className="min-w-0">
        <legend className="mb-1 text-sm font-medium">Send to</legend>
        {channels.length ? (
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {channels.map((c) => (
              <label key={c.id} className="inline-flex min-h-10 items-center gap-2 text-sm">
                <input type="checkbox" checked={picked.includes(c.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, c.id] : picked.filter((x) => x !== c.id))} />
                {c.name} <span className="text-xs text-muted">({c.kind === "email" ? "e-mail" : c.kind})</span>
              </label>
            ))}
          </div>
        ) : (
          <p className="text-xs text-muted">No channels yet: add one on the Alerts page to have reports sent. Without one, reports are kept here.</p>
        )}
      </fieldset>
      <Button type="submit" variant="primary" disabled={create.isPending} data-testid="schedule-save">
        Add schedule
      </Button>
      <ErrorNotice error={create.error} title="Could not add the schedule" />
    </form>
  );
}
