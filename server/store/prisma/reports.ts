// Reports through Prisma (both SQL stores): a handful of schedules and a few reports a day.
import type { PrismaModels as Db } from "./client";
import type { ReportRepository, ReportRow, ReportScheduleRow } from "../ports";
import { withBusyRetry } from "../busy";
import { date, ms, parse } from "../row-values";

type Row<K extends keyof Db> = Db[K] extends { findMany(...a: never[]): Promise<(infer R)[]> } ? R : never;

const scheduleOf = (r: Row<"reportSchedule">): ReportScheduleRow => ({
  id: r.id,
  name: r.name,
  cron: r.cron,
  timeZone: r.timeZone,
  period: r.period as ReportScheduleRow["period"],
  catchUp: r.catchUp as ReportScheduleRow["catchUp"],
  channelIds: parse<string[]>(r.channelIds, []),
  enabled: r.enabled,
  builtIn: r.builtIn,
  through: ms(r.through),
  createdBy: r.createdBy,
  updatedAt: r.updatedAt.getTime(),
});

const META = { id: true, title: true, scheduleId: true, from: true, to: true, createdAt: true, createdBy: true } as const;
const reportOf = <R extends { id: string; title: string; scheduleId: string | null; from: Date; to: Date; createdAt: Date; createdBy: string | null }>(r: R) => ({
  id: r.id,
  title: r.title,
  scheduleId: r.scheduleId,
  from: r.from.getTime(),
  to: r.to.getTime(),
  createdAt: r.createdAt.getTime(),
  createdBy: r.createdBy,
});

export class PrismaReports implements ReportRepository {
  constructor(private readonly db: Db) {}

  async schedules() {
    return (await this.db.reportSchedule.findMany({ orderBy: { name: "asc" } })).map(scheduleOf);
  }

  async saveSchedule(s: ReportScheduleRow) {
    const data = { name: s.name, cron: s.cron, timeZone: s.timeZone, period: s.period, catchUp: s.catchUp, channelIds: JSON.stringify(s.channelIds), enabled: s.enabled, builtIn: s.builtIn, through: date(s.through), createdBy: s.createdBy, updatedAt: new Date(s.updatedAt) };
    await withBusyRetry("report schedule", () => this.db.reportSchedule.upsert({ where: { id: s.id }, create: { id: s.id, ...data }, update: data }));
  }

  async deleteSchedule(id: string) {
    return (await withBusyRetry("report schedule", () => this.db.reportSchedule.deleteMany({ where: { id } }))).count > 0;
  }

  async saveReport(r: ReportRow) {
    await withBusyRetry("report", () =>
      this.db.report.create({ data: { id: r.id, title: r.title, scheduleId: r.scheduleId, from: new Date(r.from), to: new Date(r.to), createdAt: new Date(r.createdAt), createdBy: r.createdBy, data: r.data } }),
    );
  }

  async reports(q: { limit: number; before?: number }) {
    const rows = await this.db.report.findMany({ where: q.before != null ? { createdAt: { lt: new Date(q.before) } } : {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit, select: META });
    return rows.map(reportOf);
  }

  async report(id: string): Promise<ReportRow | null> {
    const r = await this.db.report.findUnique({ where: { id } });
    return r ? { ...reportOf(r), data: r.data } : null;
  }

  async pruneReports(before: number) {
    return (await withBusyRetry("report prune", () => this.db.report.deleteMany({ where: { createdAt: { lt: new Date(before) } } }))).count;
  }
}
