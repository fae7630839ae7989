// Reports: reading and exporting them (everyone), making one on demand (operators), schedules
// (admins: a schedule sends to channels). Changes are audited; the report service owns the work.
import type { z } from "zod";
import type { exportInput, reportListInput, reportRequestInput, reportScheduleInput, updateReportScheduleInput } from "@/lib/api/reports";
import { principalName } from "@/server/auth/principal";
import { alertsSheet, runsSheet, tasksSheet, type ExportSources } from "@/server/reports/exports";
import type { CsvSheet } from "@/server/insight/csv-tables";
import type { Caller, ServiceContext } from "./context";

export const list = (s: ServiceContext, caller: Caller, input: z.output<typeof reportListInput>) =>
  s.read(caller, "reports.list", async () => ({ reports: await s.reports.list(input), schedules: s.reports.scheduleList() }));

export const get = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.read(caller, "reports.get", async () => {
    const { meta, report } = await s.reports.get(input.id);
    return { ...meta, report };
  });

export const html = (s: ServiceContext, caller: Caller, input: { id: string }) => s.read(caller, "reports.get", () => s.reports.html(input.id));

export const pdf = (s: ServiceContext, caller: Caller, input: { id: string }) => s.read(caller, "reports.get", () => s.reports.pdf(input.id));

export const create = (s: ServiceContext, caller: Caller, input: z.output<typeof reportRequestInput>) =>
  s.mutate(
    caller,
    "reports.create",
    (p) => s.reports.generate({ title: input.title ?? "Fleet report", from: input.from, to: Math.min(input.to, s.deps.clock.now()), timeZone: input.timeZone }, null, principalName(p)),
    { input, target: null },
  );

export const createSchedule = (s: ServiceContext, caller: Caller, input: z.output<typeof reportScheduleInput>) =>
  s.mutate(caller, "reports.createSchedule", (p) => s.reports.createSchedule(input, principalName(p)), { input });

export const updateSchedule = (s: ServiceContext, caller: Caller, input: z.output<typeof updateReportScheduleInput>) =>
  s.mutate(caller, "reports.updateSchedule", (p) => s.reports.updateSchedule(input.id, input, principalName(p)), { input, target: `report-schedule:${input.id}` });

export const deleteSchedule = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "reports.deleteSchedule", async () => {
    await s.reports.deleteSchedule(input.id);
    return { ok: true as const };
  }, { input, target: `report-schedule:${input.id}` });

export const runSchedule = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "reports.runSchedule", (p) => s.reports.runNow(input.id, principalName(p)), { input, target: `report-schedule:${input.id}` });

export const exportCsv = (s: ServiceContext, caller: Caller, input: { table: "tasks" | "runs" | "alerts" } & z.output<typeof exportInput>): Promise<CsvSheet> =>
  s.read(caller, "reports.export", () => {
    const src: ExportSources = { tasks: s.deps.store.tasks, workflows: s.deps.store.workflows, alerts: s.deps.store.alerts, rules: () => s.alerts.ruleList() };
    const sheet = input.table === "tasks" ? tasksSheet(src, input) : input.table === "runs" ? runsSheet(src, input) : alertsSheet(src, input);
    return sheet.then((x) => ({ ...x, name: `${x.name}-${new Date(input.from).toISOString().slice(0, 10)}-${new Date(input.to).toISOString().slice(0, 10)}` }));
  });
