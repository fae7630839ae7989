"use client";
import { useMemo } from "react";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { browserTimeZone } from "@/components/insight/use-insight";
import { useReports } from "@/lib/client/use-reports";
import { ExportPanel } from "./export-panel";
import { MakeReportForm } from "./make-report-form";
import { ReportList } from "./report-list";
import { ScheduleList } from "./schedule-list";

/** Fleet reports: the ones made (view, PDF), making one for any period, the schedules, CSV exports. */
export function ReportsView() {
  const query = useReports();
  const timeZone = useMemo(browserTimeZone, []);
  const data = query.data;
  return (
    <>
      <PageHeader
        title="Reports"
        subtitle={<>Throughput, success rate, queue wait, top errors, bottlenecks, the capacity forecast, alerts and approval waits for a period, against the one before. As a page or a PDF; scheduled ones are also sent to their channels. Times in {timeZone}.</>}
      />
      <ErrorNotice error={query.error} title="Could not load the reports" />
      <div className="grid min-w-0 gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Panel title="Reports" testId="report-list">
            {query.isPending ? <Loading label="Loading the reports…" /> : <ReportList reports={data?.reports ?? []} timeZone={timeZone} />}
          </Panel>
          <Panel title="Schedules" testId="report-schedules">
            {query.isPending ? <Loading label="Loading the schedules…" /> : <ScheduleList schedules={data?.schedules ?? []} timeZone={timeZone} />}
          </Panel>
        </div>
        <div className="min-w-0 space-y-4">
          <IfCan permission="operate">
            <Panel title="Make a report" testId="make-report">
              <MakeReportForm timeZone={timeZone} />
            </Panel>
          </IfCan>
          <Panel title="Export CSV" testId="report-export">
            <ExportPanel />
          </Panel>
        </div>
      </div>
    </>
  );
}
