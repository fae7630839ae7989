// [REPORTS] Reports against the real server, a real runner and real receivers on 127.0.0.1:
// tasks that succeed and fail, then a report on demand whose figures are the analytics' own for
// that period; a schedule run now that mails the PDF through a password-protected SMTP server
// and posts a signed JSON notice to a webhook; the HTML page and the PDF over REST (poppler
// reads the PDF's text); CSV exports of tasks, runs and alert transitions; clear refusals.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "@/server/core/alerts/delivery";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { startSmtpReceiver, startWebhookReceiver } from "@/testing/receivers";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const CAP = "reports-int";
const SECRET = "reports-int-test-secret-0123456789";
let server: ServerHandle;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let agent: AgentHandle;
let admin: ReturnType<typeof api>;
let ops: ReturnType<typeof api>;
let reader: ReturnType<typeof api>;
let readToken = "";
const started = Date.now();

beforeAll(async () => {
  smtp = await startSmtpReceiver({ user: "reports", pass: "reports-pass-1" });
  hook = await startWebhookReceiver();
  server = await startServerProcess({ env: { SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_PUBLIC_URL: "http://switchboard.test" } });
  admin = api(server.url, { token: await createToken(server, "reports-admin", "admin") });
  ops = api(server.url, { token: await createToken(server, "reports-ops", "submit") });
  readToken = await createToken(server, "reports-read", "read");
  reader = api(server.url, { token: readToken });
  agent = startAgentProcess({ server: server.url, token: await createToken(server, "reports-agent"), name: "rep-1", capabilities: [CAP], slots: 2 });
  await waitFor(async () => ((await reader.get("/api/v1/agents")).body.agents as { name: string; status: string }[]).some((a) => a.name === "rep-1" && a.status !== "offline"), "rep-1 online", 30_000);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await ops.post("/api/v1/tasks", { title: `report task ${i}`, command: i === 3 ? "echo broken >&2; exit 2" : "true", requires: [CAP], retry: { maxAttempts: 1 } })).body.task.id);
  await waitFor(async () => {
    const st = await Promise.all(ids.map(async (id) => (await reader.get(`/api/v1/tasks/${id}`)).body.task.status as string));
    return st.every((s) => s === "succeeded" || s === "failed");
  }, "the tasks ended", 30_000);
}, 90_000);

afterAll(async () => {
  await agent?.stop("SIGKILL");
  await server?.stop();
  await smtp?.close();
  await hook?.close();
});

describe("[REPORTS] on demand, scheduled, delivered, downloaded, exported", () => {
  let reportId = "";

  it("makes a report for a period whose figures are the analytics' own", async () => {
    const to = Date.now() + 60_000;
    const r = await ops.post("/api/v1/reports", { from: started - 60_000, to, title: "Integration report", timeZone: "Europe/Berlin" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    reportId = r.body.id;
    expect(r.body).toMatchObject({ title: "Integration report", scheduleId: null, createdBy: "token:reports-ops", htmlUrl: `/api/v1/reports/${reportId}/html`, pdfUrl: `/api/v1/reports/${reportId}/pdf` });
    const full = (await reader.get(`/api/v1/reports/${reportId}`)).body;
    expect(full.report.fleet.now).toMatchObject({ finished: 4, succeeded: 3, failed: 1 });
    expect(full.report.capabilities.map((c: { key: string }) => c.key)).toEqual([CAP]);
    expect(full.report.errors.map((e: { count: number }) => e.count)).toEqual([1]);
    const analytics = (await reader.get("/api/v1/analytics/summary?range=1h")).body;
    expect(full.report.fleet.now.finished).toBe(analytics.fleet.now.finished);
    expect(full.report.fleet.now.successRate).toBeCloseTo(analytics.fleet.now.successRate, 6);
  });

  it("serves the report as an HTML page and as a PDF whose text has its figures", async () => {
    const html = await fetch(`${server.url}/api/v1/reports/${reportId}/html`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await html.text();
    expect(page).toContain("<title>Integration report</title>");
    expect(page).toContain(CAP);
    const pdf = await fetch(`${server.url}/api/v1/reports/${reportId}/pdf`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/^attachment; filename="integration-report-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-report-int-"));
    try {
      fs.writeFileSync(path.join(dir, "r.pdf"), Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync("pdftotext", ["-layout", path.join(dir, "r.pdf"), "-"], { encoding: "utf8" });
      expect(text).toContain("Integration report");
      expect(text).toMatch(/Tasks finished[\s\S]*\b4\b/);
      expect(text).toContain(CAP);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await fetch(`${server.url}/api/v1/reports/${reportId}/pdf`)).status).toBe(401);
    expect((await reader.get("/api/v1/reports/nope")).status).toBe(404);
  });

  it("runs a schedule now: the PDF by e-mail and a signed notice to a webhook", async () => {
    const mail = await admin.post("/api/v1/alerts/channels", { name: "reports mail", kind: "email", to: ["lead@example.test"], matchers: ['alertname="None"'] });
    const web = await admin.post("/api/v1/alerts/channels", { name: "reports hook", kind: "webhook", url: hook.url, secret: SECRET, matchers: ['alertname="None"'] });
    const s = await admin.post("/api/v1/reports/schedules", { name: "Integration daily", cron: "0 7 * * *", timeZone: "Europe/Berlin", period: "day", channelIds: [mail.body.id, web.body.id] });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body).toMatchObject({ builtIn: false, lastRunAt: null, catchUp: "skip" });
    expect(s.body.nextRunAt).toBeGreaterThan(Date.now());
    expect((await ops.post(`/api/v1/reports/schedules/${s.body.id}/run`, {})).status).toBe(403);
    const run = await admin.post(`/api/v1/reports/schedules/${s.body.id}/run`, {});
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(run.body.scheduleId).toBe(s.body.id);

    await waitFor(async () => smtp.mails.length > 0 && hook.received.length > 0, "the report mailed and posted", 20_000, 50);
    const m = smtp.mails[0];
    expect(m.envelopeTo).toEqual(["lead@example.test"]);
    expect(m.mail.subject).toMatch(/^Integration daily: /);
    expect(m.mail.html).toContain("<title>Integration daily</title>");
    expect(m.mail.text).toContain(`Open: http://switchboard.test/api/v1/reports/${run.body.id}/html`);
    const [pdf] = m.mail.attachments;
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.filename).toMatch(/^integration-daily-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pdf.content.subarray(0, 5).toString()).toBe("%PDF-");

    const h = hook.received[0];
    expect(verifySignature(SECRET, h.body, h.headers["switchboard-signature"] as string, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(h.body)).toMatchObject({ kind: "report", id: run.body.id, title: "Integration daily", pdfUrl: `http://switchboard.test/api/v1/reports/${run.body.id}/pdf` });
    const log = (await admin.get(`/api/v1/alerts/channels/${mail.body.id}/deliveries`)).body.deliveries as { groupKey: string; ok: boolean }[];
    expect(log).toEqual([expect.objectContaining({ groupKey: `report:${run.body.id}`, ok: true })]);

    const listed = (await reader.get("/api/v1/reports?limit=10")).body;
    expect(listed.reports.map((r: { id: string }) => r.id)).toEqual([run.body.id, reportId]);
    expect(listed.schedules.map((x: { name: string }) => x.name)).toEqual(["Daily fleet report", "Integration daily", "Weekly fleet report"]);
    expect(listed.schedules.map((x: { lastRunAt: number | null }) => x.lastRunAt !== null)).toEqual([false, true, false]);
  });

  it("exports the period's tasks, runs and alert transitions as CSV", async () => {
    const q = `from=${started - 60_000}&to=${Date.now() + 1000}`;
    const get = (t: string) => fetch(`${server.url}/api/v1/export/${t}?${q}`, { headers: { authorization: `Bearer ${readToken}` } });
    const tasks = await get("tasks");
    expect(tasks.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(tasks.headers.get("content-disposition")).toMatch(/filename="switchboard-tasks-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await tasks.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,title,status,capabilities,agentId,attempt,failures,runId,stepId,template,createdAt,startedAt,finishedAt,sinceCreatedToStartMs,runMs,error");
    expect(lines.slice(1).map((l) => l.split(",")[2]).sort()).toEqual(["failed", "succeeded", "succeeded", "succeeded"]);
    expect((await (await get("runs")).text()).split("\r\n")[0]).toMatch(/^id,template,version,status/);
    expect((await (await get("alerts")).text()).split("\r\n")[0]).toBe("at,rule,fingerprint,from,to,severity,labels,value,summary");
  });

  it("refuses bad periods and schedules with a sentence naming the field", async () => {
    const back = await ops.post("/api/v1/reports", { from: Date.now(), to: Date.now() - 1000 });
    expect(back.status).toBe(400);
    expect(back.body.error.message).toMatch(/to: must be after from/);
    const cron = await admin.post("/api/v1/reports/schedules", { name: "bad", cron: "0 25 * * *", period: "day" });
    expect(cron.status).toBe(400);
    expect(cron.body.error.message).toMatch(/^cron: /);
    const tz = await admin.post("/api/v1/reports/schedules", { name: "bad", cron: "0 5 * * *", timeZone: "Moon/Base", period: "day" });
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toMatch(/timeZone/);
    const table = await reader.get(`/api/v1/export/secrets?from=0&to=1`);
    expect(table.status).toBe(400);
    expect(table.body.error.message).toMatch(/table/);
    const builtIn = await admin.del("/api/v1/reports/schedules/daily-fleet");
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.error.message).toMatch(/built in; disable it instead/);
  });
});
