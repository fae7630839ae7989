// The report service on a fake clock and the in-memory store: the built-in schedules, a report
// produced at its cron instant and sent to its channel, downtime skipped or caught up, and a
// restart that produces nothing twice.
import { describe, expect, it } from "vitest";
import { FakeClock } from "@/server/core/clock";
import { createMemoryStore } from "@/server/store/memory";
import type { ChannelRow } from "@/server/store/ports";
import type { ReportMessage } from "@/server/alerts/notifier";
import { report } from "@/testing/report-fixture";
import { ReportService } from "./report-service";
import type { ReportRequest } from "./report-builder";

const DAY = 86_400_000;
const mailChannel: ChannelRow = { id: "mail", name: "mail", kind: "email", config: { to: "ops@example.test" }, matchers: [], minSeverity: "info", groupBy: [], enabled: true, createdBy: null, updatedAt: 0 };

function setup(startIso: string, store = createMemoryStore()) {
  const clock = new FakeClock(Date.parse(startIso));
  const built: ReportRequest[] = [];
  const sent: { channel: string; key: string; m: ReportMessage }[] = [];
  const svc = new ReportService({
    store: store.reports,
    clock,
    build: async (q) => (built.push(q), report({ title: q.title, from: q.from, to: q.to, timeZone: q.timeZone })),
    channels: () => [mailChannel],
    send: async (c, key, m) => void sent.push({ channel: c.id, key, m }),
    publicUrl: "http://sb.example",
    tickMs: 3_600_000,
  });
  return { clock, built, sent, svc, store };
}

describe("[REPORTS] schedules", () => {
  it("creates the daily and weekly reports once, and produces each at its instant for the period before it", async () => {
    const { clock, built, sent, svc } = setup("2026-12-01T07:59:00Z");
    await svc.start();
    expect(svc.scheduleList().map((s) => [s.name, s.cron, s.period, s.builtIn])).toEqual([
      ["Daily fleet report", "0 8 * * *", "day", true],
      ["Weekly fleet report", "0 8 * * 1", "week", true],
    ]);
    expect(built).toEqual([]); // a new schedule does not back-fill
    const daily = svc.scheduleList()[0];
    expect(daily.nextRunAt).toBe(Date.parse("2026-12-01T08:00:00Z"));
    expect(daily.lastRunAt).toBeNull(); // nothing made yet, though the schedule counts from now
    await svc.updateSchedule(daily.id, { ...daily, channelIds: ["mail"] }, "admin");

    clock.advance(90_000);
    await svc.tick();
    expect(built).toEqual([{ title: "Daily fleet report", from: Date.parse("2026-11-30T08:00:00Z"), to: Date.parse("2026-12-01T08:00:00Z"), timeZone: "UTC" }]);
    expect(sent).toHaveLength(1);
    expect(svc.scheduleList()[0].lastRunAt).toBe(clock.now());
    const m = sent[0].m;
    expect(m.subject).toMatch(/^Daily fleet report: /);
    expect(m.attachments[0]).toMatchObject({ filename: "daily-fleet-report-2026-12-01.pdf", contentType: "application/pdf" });
    expect((m.attachments[0].content as Buffer).subarray(0, 5).toString()).toBe("%PDF-");
    expect(m.slackText).toContain("<http://sb.example/api/v1/reports/");
    expect(m.json).toMatchObject({ kind: "report", title: "Daily fleet report" });
    const [listed] = await svc.list({ limit: 5 });
    expect(listed).toMatchObject({ title: "Daily fleet report", scheduleId: daily.id, htmlUrl: `/api/v1/reports/${listed.id}/html` });
    expect(await svc.html(listed.id)).toContain("<title>Daily fleet report</title>");

    await svc.tick(); // nothing new
    expect(built).toHaveLength(1);
    await svc.stop();
  });

  it("after downtime skips the missed reports, or catches up on each one, and a restart produces nothing twice", async () => {
    const store = createMemoryStore();
    const first = setup("2026-12-01T09:00:00Z", store);
    await first.svc.start();
    const daily = first.svc.scheduleList()[0];
    await first.svc.updateSchedule(daily.id, { ...daily, catchUp: "catch-up" }, "admin");
    await first.svc.stop();

    // Down for three days, back at 08:02 on the 4th: the reports of the 2nd, 3rd and 4th.
    const second = setup("2026-12-04T08:02:00Z", store);
    await second.svc.start();
    expect(second.built.filter((b) => b.title === "Daily fleet report").map((b) => new Date(b.to).toISOString())).toEqual(["2026-12-02T08:00:00.000Z", "2026-12-03T08:00:00.000Z", "2026-12-04T08:00:00.000Z"]);
    await second.svc.stop();

    // Restarted at once: nothing again.
    const third = setup("2026-12-04T08:03:00Z", store);
    await third.svc.start();
    expect(third.built).toEqual([]);
    // The weekly one skips: down from Thursday to the Tuesday after, its Monday report is not made.
    const fourth = setup("2026-12-08T12:00:00Z", store);
    await fourth.svc.start();
    expect(fourth.built.map((b) => b.title)).toEqual(["Daily fleet report", "Daily fleet report", "Daily fleet report", "Daily fleet report"]);
    await Promise.all([third.svc.stop(), fourth.svc.stop()]);
  });

  it("refuses bad schedules with a sentence naming the field", async () => {
    const { svc } = setup("2026-12-01T09:00:00Z");
    await svc.start();
    const base = { name: "Nightly", cron: "0 2 * * *", timeZone: "Europe/Berlin", period: "day" as const, catchUp: "skip" as const, channelIds: [], enabled: true };
    await expect(svc.createSchedule({ ...base, cron: "0 25 * * *" }, "a")).rejects.toThrow(/^cron: /);
    await expect(svc.createSchedule({ ...base, timeZone: "Nowhere/City" }, "a")).rejects.toThrow(/^timeZone: /);
    await expect(svc.createSchedule({ ...base, channelIds: ["nope"] }, "a")).rejects.toThrow(/^channelIds: no channel nope/);
    await expect(svc.createSchedule({ ...base, name: "Daily fleet report" }, "a")).rejects.toThrow(/^name: /);
    const ok = await svc.createSchedule(base, "a");
    expect(ok.nextRunAt).toBe(Date.parse("2026-12-02T01:00:00Z")); // 02:00 in Berlin
    await expect(svc.deleteSchedule("daily-fleet")).rejects.toThrow(/built in; disable it instead/);
    await svc.deleteSchedule(ok.id);
    expect(svc.scheduleList()).toHaveLength(2);
    await svc.stop();
  });
});
