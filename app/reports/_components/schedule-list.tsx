"use client";
import type { ReportScheduleView } from "@/lib/api";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { formatWhen } from "@/components/insight/format";
import { describeCron } from "@/components/reports/report-periods";
import { useCan } from "@/lib/client/use-can";
import { useAlertChannels } from "@/lib/client/use-alerts";
import { useRunSchedule, useUpdateSchedule } from "@/lib/client/use-reports";
import { ScheduleForm } from "./schedule-form";

const PERIOD = { day: "the 24 h before", week: "the 7 days before" } as const;
const CATCH_UP = { skip: "missed runs are skipped", "catch-up": "missed runs are caught up" } as const;

/** The schedules: when each runs, what it covers, where it goes; admins run one now, pause it, add one. */
export function ScheduleList({ schedules, timeZone }: { schedules: readonly ReportScheduleView[]; timeZone: string }) {
  const admin = useCan("admin");
  const channels = useAlertChannels({ enabled: admin });
  const run = useRunSchedule();
  const update = useUpdateSchedule();
  const nameOf = (id: string) => channels.data?.channels.find((c) => c.id === id)?.name ?? id;
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-line" aria-label="Report schedules">
        {schedules.map((s) => (
          <li key={s.id} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 py-2.5" data-testid="schedule-row" data-schedule-id={s.id}>
            <div className="min-w-0">
              <p className="font-medium break-words">
                {s.name} {!s.enabled && <span className="ml-1 rounded bg-surface-2 px-1.5 py-0.5 text-xs font-normal text-muted">paused</span>}
              </p>
              <p className="text-xs text-muted">
                {describeCron(s.cron)} ({s.timeZone}), covering {PERIOD[s.period]}; {CATCH_UP[s.catchUp]}.
              </p>
              <p className="text-xs text-muted">
                {s.nextRunAt ? `Next ${formatWhen(s.nextRunAt, timeZone)}` : "Not scheduled"}
                {s.lastRunAt ? ` · last ${formatWhen(s.lastRunAt, timeZone)}` : ""}
                {" · "}
                {s.channelIds.length ? `sent to ${admin ? s.channelIds.map(nameOf).join(", ") : `${s.channelIds.length} channel(s)`}` : "kept here only"}
              </p>
            </div>
            <IfCan permission="admin">
              <div className="flex shrink-0 gap-2">
                <Button className="min-h-9 px-3 text-xs" disabled={run.isPending} onClick={() => run.mutate({ id: s.id })} data-testid="schedule-run" aria-label={`Run ${s.name} now`}>
                  Run now
                </Button>
                <Button
                  className="min-h-9 px-3 text-xs"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ id: s.id, name: s.name, cron: s.cron, timeZone: s.timeZone, period: s.period, catchUp: s.catchUp, channelIds: s.channelIds, enabled: !s.enabled })}
                  aria-label={`${s.enabled ? "Pause" : "Resume"} ${s.name}`}
                >
                  {s.enabled ? "Pause" : "Resume"}
                </Button>
              </div>
            </IfCan>
          </li>
        ))}
      </ul>
      <ErrorNotice error={run.error ?? update.error} title="Could not change the schedule" />
      {run.data && (
        <p role="status" className="text-sm text-muted" data-testid="schedule-ran">
          Made “{run.data.title}”{schedules.find((x) => x.id === run.data.scheduleId)?.channelIds.length ? " and sent it to the schedule's channels" : ""}.
        </p>
      )}
      <IfCan permission="admin">
        <details className="rounded-md border border-line">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">New schedule</summary>
          <div className="border-t border-line p-3">
            <ScheduleForm timeZone={timeZone} channels={channels.data?.channels ?? []} />
          </div>
        </details>
      </IfCan>
    </div>
  );
}
