// Scheduled and on-demand fleet reports: keeps the schedules (a daily and a weekly one built in),
// wakes every TICK_MS to produce what is due (server/core/reports/schedule.ts decides, including
// after downtime), stores each report's figures, renders them as HTML or PDF on request, and
// sends them to the schedule's channels (e-mail with the PDF attached, webhook, Slack).
import type { FleetReport, ReportMeta, ReportScheduleView } from "@/lib/api/reports";
import type { Clock } from "@/server/core/clock";
import { cronProblem, dueRuns, nextRunAfter } from "@/server/core/reports/schedule";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import { log } from "@/server/log";
import type { ChannelRow, ReportRepository, ReportRow, ReportScheduleRow } from "@/server/store/ports";
import type { ReportMessage } from "@/server/alerts/notifier";
import { reportDocument } from "./report-sections";
import { renderHtml } from "./render-html";
import { renderPdf } from "./render-pdf";
import type { ReportRequest } from "./report-builder";

export const TICK_MS = 30_000;
const DAY = 86_400_000;
/** Reports are kept this long. */
const KEEP_MS = 400 * DAY;

export interface ReportDeps {
  store: ReportRepository;
  clock: Clock;
  build: (q: ReportRequest) => Promise<FleetReport>;
  channels: () => readonly ChannelRow[];
  send: (c: ChannelRow, key: string, m: ReportMessage) => Promise<void>;
  /** The dashboard's address, for links in what is sent. */
  publicUrl: string;
  tickMs?: number;
}

const BUILT_IN: Omit<ReportScheduleRow, "through" | "updatedAt">[] = [
  { id: "daily-fleet", name: "Daily fleet report", cron: "0 8 * * *", timeZone: "UTC", period: "day", catchUp: "skip", channelIds: [], enabled: true, builtIn: true, createdBy: null },
  { id: "weekly-fleet", name: "Weekly fleet report", cron: "0 8 * * 1", timeZone: "UTC", period: "week", catchUp: "skip", channelIds: [], enabled: true, builtIn: true, createdBy: null },
];

export type ScheduleInput = Pick<ReportScheduleRow, "name" | "cron" | "timeZone" | "period" | "catchUp" | "channelIds" | "enabled">;

const slug = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "report";

export class ReportService {
  private schedules: ReportScheduleRow[] = [];
  /** When each schedule last produced a report (not `through`, which also counts skipped instants). */
  private lastRuns = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** One pass at a time: a slow report must not start the same one twice. */
  private ticking: Promise<void> | null = null;

  constructor(private readonly deps: ReportDeps) {}

  async start() {
    const have = await this.deps.store.schedules();
    for (const b of BUILT_IN) if (!have.some((s) => s.id === b.id)) await this.deps.store.saveSchedule({ ...b, through: null, updatedAt: this.deps.clock.now() });
    this.schedules = await this.deps.store.schedules();
    for (const r of await this.deps.store.reports({ limit: 500 })) if (r.scheduleId && !this.lastRuns.has(r.scheduleId)) this.lastRuns.set(r.scheduleId, r.createdAt);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? TICK_MS);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  // ---- Scheduling ----

  /** Produces whatever is due now; what runs is remembered before it is sent, so a crash sends nothing twice. */
  tick(): Promise<void> {
    this.ticking ??= this.runDue()
      .catch((e: Error) => log.warn("report schedule pass failed", { error: e.message }))
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async runDue() {
    const now = this.deps.clock.now();
    for (const s of this.schedules) {
      if (!s.enabled) continue;
      const due = dueRuns(s.cron, s.timeZone, s.through, now, s.catchUp);
      if (due.through == null) continue;
      await this.saveSchedule({ ...s, through: due.through });
      if (due.skipped.length) log.info("report runs skipped after downtime", { schedule: s.name, skipped: due.skipped.length, policy: s.catchUp });
      for (const at of due.run) await this.produce(s, at, null);
    }
    await this.deps.store.pruneReports(now - KEEP_MS).catch(() => 0);
  }

  /** A schedule's report for the period ending at `at`, stored and sent to its channels. */
  private async produce(s: ReportScheduleRow, at: number, by: string | null): Promise<ReportMeta> {
    const from = at - (s.period === "day" ? DAY : 7 * DAY);
    const meta = await this.generate({ title: s.name, from, to: at, timeZone: s.timeZone }, s.id, by);
    this.lastRuns.set(s.id, meta.createdAt);
    const channels = this.deps.channels().filter((c) => s.channelIds.includes(c.id));
    if (channels.length) {
      const row = await this.deps.store.report(meta.id);
      const msg = await this.message(meta, JSON.parse(row!.data) as FleetReport);
      await Promise.all(channels.map((c) => this.deps.send(c, `report:${meta.id}`, msg)));
    }
    return meta;
  }

  /** What each kind of channel is sent: the HTML page as the mail's body with the PDF attached, or a link. */
  private async message(meta: ReportMeta, r: FleetReport): Promise<ReportMessage> {
    const doc = reportDocument(r);
    const html = renderHtml(doc);
    const pdf = await renderPdf(doc);
    const htmlUrl = `${this.deps.publicUrl}${meta.htmlUrl}`;
    const pdfUrl = `${this.deps.publicUrl}${meta.pdfUrl}`;
    const headline = doc.kpis.slice(0, 3).map((k) => `${k.label}: ${k.value}${k.change.text ? ` (${k.change.text})` : ""}`).join(" · ");
    return {
      subject: `${r.title}: ${doc.period.split(";")[0]}`,
      text: [r.title, doc.period, "", headline, "", `Open: ${htmlUrl}`, "The PDF is attached."].join("\n"),
      html,
      attachments: [{ filename: `${slug(r.title)}-${new Date(r.to).toISOString().slice(0, 10)}.pdf`, content: pdf, contentType: "application/pdf" }],
      slackText: `*${r.title}* — ${doc.period.split(";")[0]}\n${headline}\n<${htmlUrl}|Open the report> · <${pdfUrl}|PDF>`,
      json: { version: "1", kind: "report", id: meta.id, title: r.title, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), htmlUrl, pdfUrl, fleet: r.fleet.now, alertsFired: r.alerts.fired },
    };
  }

  // ---- Reports ----

  async generate(q: ReportRequest, scheduleId: string | null, by: string | null): Promise<ReportMeta> {
    const data = await this.deps.build(q);
    const row: ReportRow = { id: newId("rep"), title: q.title, scheduleId, from: data.from, to: data.to, createdAt: this.deps.clock.now(), createdBy: by, data: JSON.stringify(data) };
    await this.deps.store.saveReport(row);
    return metaOf(row);
  }

  async list(q: { limit: number; before?: number }) {
    return (await this.deps.store.reports(q)).map(metaOf);
  }

  async get(id: string): Promise<{ meta: ReportMeta; report: FleetReport }> {
    const row = await this.deps.store.report(id);
    if (!row) throw new AppError("NOT_FOUND", `No report ${id}.`);
    return { meta: metaOf(row), report: JSON.parse(row.data) as FleetReport };
  }

  async html(id: string): Promise<string> {
    return renderHtml(reportDocument((await this.get(id)).report));
  }

  async pdf(id: string): Promise<{ filename: string; body: Buffer }> {
    const { report } = await this.get(id);
    return { filename: `${slug(report.title)}-${new Date(report.to).toISOString().slice(0, 10)}.pdf`, body: await renderPdf(reportDocument(report)) };
  }

  // ---- Schedules ----

  scheduleList(): ReportScheduleView[] {
    return this.schedules.map((s) => this.view(s));
  }

  private view(s: ReportScheduleRow): ReportScheduleView {
    const now = this.deps.clock.now();
    let nextRunAt: number | null = null;
    try {
      nextRunAt = s.enabled ? nextRunAfter(s.cron, s.timeZone, Math.max(now, s.through ?? now)) : null;
    } catch {
      nextRunAt = null;
    }
    const { through: _through, ...rest } = s;
    return { ...rest, lastRunAt: this.lastRuns.get(s.id) ?? null, nextRunAt };
  }

  private check(input: ScheduleInput, id: string | null) {
    const problem = cronProblem(input.cron, input.timeZone);
    if (problem) throw new AppError("BAD_REQUEST", `${problem}.`);
    if (this.schedules.some((s) => s.name === input.name && s.id !== id)) throw new AppError("CONFLICT", `name: a schedule called "${input.name}" exists already.`);
    const known = new Set(this.deps.channels().map((c) => c.id));
    const unknown = input.channelIds.filter((c) => !known.has(c));
    if (unknown.length) throw new AppError("BAD_REQUEST", `channelIds: no channel ${unknown.join(", ")}.`);
  }

  async createSchedule(input: ScheduleInput, by: string): Promise<ReportScheduleView> {
    this.check(input, null);
    const row: ReportScheduleRow = { id: newId("sched"), ...input, builtIn: false, through: null, createdBy: by, updatedAt: this.deps.clock.now() };
    await this.saveSchedule(row);
    return this.view(row);
  }

  async updateSchedule(id: string, input: ScheduleInput, by: string): Promise<ReportScheduleView> {
    const had = this.schedules.find((s) => s.id === id);
    if (!had) throw new AppError("NOT_FOUND", `No report schedule ${id}.`);
    this.check(input, id);
    // A changed expression starts afresh from now: the old one's instants are not "missed".
    const through = had.cron !== input.cron || had.timeZone !== input.timeZone || (!had.enabled && input.enabled) ? null : had.through;
    const row: ReportScheduleRow = { ...had, ...input, through, createdBy: had.createdBy ?? by, updatedAt: this.deps.clock.now() };
    await this.saveSchedule(row);
    if (through == null) await this.tick();
    return this.view(this.schedules.find((s) => s.id === id) ?? row);
  }

  async deleteSchedule(id: string) {
    const had = this.schedules.find((s) => s.id === id);
    if (!had) throw new AppError("NOT_FOUND", `No report schedule ${id}.`);
    if (had.builtIn) throw new AppError("BAD_REQUEST", `id: ${had.name} is built in; disable it instead.`);
    await this.deps.store.deleteSchedule(id);
    this.schedules = this.schedules.filter((s) => s.id !== id);
  }

  /** "Send now": the schedule's report for the period ending now, to its channels. */
  async runNow(id: string, by: string): Promise<ReportMeta> {
    const s = this.schedules.find((x) => x.id === id);
    if (!s) throw new AppError("NOT_FOUND", `No report schedule ${id}.`);
    return this.produce(s, this.deps.clock.now(), by);
  }

  private async saveSchedule(row: ReportScheduleRow) {
    await this.deps.store.saveSchedule(row);
    const i = this.schedules.findIndex((s) => s.id === row.id);
    if (i >= 0) this.schedules[i] = row;
    else this.schedules = [...this.schedules, row].sort((a, b) => a.name.localeCompare(b.name));
  }
}

export function metaOf(r: Omit<ReportRow, "data">): ReportMeta {
  return { id: r.id, title: r.title, scheduleId: r.scheduleId, from: r.from, to: r.to, createdAt: r.createdAt, createdBy: r.createdBy, htmlUrl: `/api/v1/reports/${r.id}/html`, pdfUrl: `/api/v1/reports/${r.id}/pdf` };
}
