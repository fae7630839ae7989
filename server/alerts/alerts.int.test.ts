// [ALERTS] The built-in "agents offline" rule against real runners and a real webhook receiver
// on 127.0.0.1: killing agents fires it, the receiver gets a correctly signed Alertmanager-shaped
// payload (after a failed first attempt, retried with backoff, every attempt logged) and a real
// SMTP server on 127.0.0.1 (smtp-server, with a password) gets the e-mail; a silence
// keeps another agent's alert from being sent; acknowledging, history and validation work over
// REST; agents that come back resolve it; a restarted server sends nothing twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpReceiver, startWebhookReceiver } from "@/testing/receivers";
import { verifySignature, type WebhookPayload } from "@/server/core/alerts/delivery";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const SECRET = "alerts-int-test-secret-0123456789";

interface Received {
  at: number;
  signature: string | undefined;
  body: string;
  payload: WebhookPayload;
}

let server: ServerHandle;
let admin: ReturnType<typeof api>;
let ops: ReturnType<typeof api>;
let reader: ReturnType<typeof api>;
let readToken = "";
let adminToken = "";
let agentToken = "";
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let hookUrl = "";
/** What the receiver got so far, parsed. */
const received = (): Received[] => receiver.received.map((r) => ({ at: r.at, signature: r.headers["switchboard-signature"] as string | undefined, body: r.body, payload: JSON.parse(r.body) as WebhookPayload }));
const agents = new Map<string, AgentHandle>();
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let mails: Awaited<ReturnType<typeof startSmtpReceiver>>["mails"] = [];

const start = (name: string) => agents.set(name, startAgentProcess({ server: server.url, token: agentToken, name, capabilities: ["alerts"], slots: 1 }));
const agentStatus = async (name: string) => ((await reader.get("/api/v1/agents")).body.agents as { name: string; status: string }[]).find((a) => a.name === name)?.status;
const online = (name: string) => waitFor(async () => ["online", "busy"].includes((await agentStatus(name)) ?? ""), `${name} online`, 30_000);
const firingFor = (agent: string) => received().filter((r) => r.payload.alerts.some((a) => a.labels.agent === agent && a.status === "firing"));
const resolvedFor = (agent: string) => received().filter((r) => r.payload.alerts.some((a) => a.labels.agent === agent && a.status === "resolved"));

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  hookUrl = receiver.url;
  smtp = await startSmtpReceiver({ user: "relay-user", pass: "relay-pass-123" });
  mails = smtp.mails;
  server = await startServerProcess({ env: { SWITCHBOARD_SMTP_URL: smtp.url, SWITCHBOARD_SMTP_FROM: "Switchboard <alerts@switchboard.test>" } });
  agentToken = await createToken(server, "alerts-agents");
  adminToken = await createToken(server, "alerts-admin", "admin");
  admin = api(server.url, { token: adminToken });
  ops = api(server.url, { token: await createToken(server, "alerts-ops", "submit") });
  readToken = await createToken(server, "alerts-read", "read");
  reader = api(server.url, { token: readToken });
}, 60_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop("SIGKILL")));
  await server?.stop();
  await receiver.close();
  await smtp.close();
});

describe("[ALERTS] rules, channels, silences and notifications end to end", () => {
  let channelId = "";

  it("refuses bad rules, silences and channels with a sentence naming the field", async () => {
    const badName = await admin.post("/api/v1/alerts/rules", { name: "queue wait!", kind: "dead_tasks" });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/name/);
    const badMatcher = await ops.post("/api/v1/alerts/silences", { matchers: ["agent b-1"], endsAt: Date.now() + 60_000 });
    expect(badMatcher.status).toBe(400);
    expect(badMatcher.body.error.message).toMatch(/matchers.*not a label matcher/);
    const badUrl = await admin.post("/api/v1/alerts/channels", { name: "x", kind: "webhook", url: "ftp://example.com" });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toMatch(/url/);
    const noUrl = await admin.post("/api/v1/alerts/channels", { name: "x", kind: "slack" });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.message).toMatch(/url.*Slack channel needs a URL/);
    const badMail = await admin.post("/api/v1/alerts/channels", { name: "x", kind: "email", to: ["not-an-address"] });
    expect(badMail.status).toBe(400);
    expect(badMail.body.error.message).toMatch(/to.*e-mail address/);
    const noMail = await admin.post("/api/v1/alerts/channels", { name: "x", kind: "email", to: [] });
    expect(noMail.status).toBe(400);
    expect(noMail.body.error.message).toMatch(/to.*at least one address/);
    // Channels are admins' (their URLs can be credentials); operators silence.
    expect((await ops.post("/api/v1/alerts/channels", { name: "x", kind: "webhook", url: hookUrl })).status).toBe(403);
    expect((await reader.post("/api/v1/alerts/silences", { matchers: ['agent="x"'], endsAt: Date.now() + 60_000 })).status).toBe(403);
  });

  it("fires AgentOffline for killed agents and delivers a signed payload, retrying a receiver that was down", async () => {
    const rules = (await reader.get("/api/v1/alerts/rules")).body.rules as { id: string; kind: string; builtIn: boolean }[];
    expect(rules.filter((r) => r.builtIn).map((r) => r.kind).sort()).toEqual(["agents_offline", "approval_waiting", "dead_tasks", "error_group", "failure_rate", "forecast_shortage", "pool_at_max", "pool_crash_loop", "queue_wait"]);
    const c = await admin.post("/api/v1/alerts/channels", { name: "ops hook", kind: "webhook", url: hookUrl, secret: SECRET, matchers: ['alertname="AgentOffline"'] });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ signed: true, matchers: ['alertname="AgentOffline"'] });
    expect(JSON.stringify(c.body)).not.toContain(SECRET);
    channelId = c.body.id;
    const m = await admin.post("/api/v1/alerts/channels", { name: "on-call mail", kind: "email", to: ["oncall@example.test", "lead@example.test"], minSeverity: "critical", matchers: ['alertname="AgentOffline"'] });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body).toMatchObject({ kind: "email", to: ["oncall@example.test", "lead@example.test"], url: "" });
    const mailChannel = m.body.id as string;

    start("al-1");
    start("al-2");
    await online("al-1");
    await online("al-2");
    receiver.failNext(1);
    await agents.get("al-1")!.stop("SIGKILL");
    await agents.get("al-2")!.stop("SIGKILL");
    await waitFor(async () => firingFor("al-1").length > 0 && firingFor("al-2").length > 0, "both offline alerts delivered", 30_000, 50);

    for (const r of received()) {
      expect(verifySignature(SECRET, r.body, r.signature, Math.floor(Date.now() / 1000)), r.signature).toBe(true);
      expect(verifySignature("another-secret-0123456789", r.body, r.signature, Math.floor(Date.now() / 1000))).toBe(false);
      expect(r.payload).toMatchObject({ version: "1", status: "firing", receiver: "ops hook" });
    }
    const alert = received()[0].payload.alerts[0];
    expect(alert.labels).toMatchObject({ alertname: "AgentOffline", severity: "critical" });
    expect(alert.annotations.summary).toMatch(/^agent al-\d offline/);
    expect(received()[0].payload.externalURL).toMatch(/\/alerts$/);

    // The first attempt met a 503 and was retried; every attempt is in the channel's log.
    const log = (await admin.get(`/api/v1/alerts/channels/${channelId}/deliveries`)).body.deliveries as { attempt: number; ok: boolean; status: number | null; error: string | null }[];
    expect(log.some((d) => d.attempt === 1 && !d.ok && d.status === 503 && d.error === "HTTP 503")).toBe(true);
    expect(log.some((d) => d.attempt === 2 && d.ok)).toBe(true);
    expect((await reader.get(`/api/v1/alerts/channels/${channelId}/deliveries`)).status).toBe(403);

    const list = (await reader.get("/api/v1/alerts")).body as { alerts: { fingerprint: string; labels: Record<string, string>; phase: string }[]; firing: number };
    expect(list.alerts.filter((a) => a.phase === "firing").map((a) => a.labels.agent).sort()).toEqual(["al-1", "al-2"]);
    expect(list.firing).toBe(2);

    // The same alerts by e-mail, through the relay's password, to both addresses.
    await waitFor(async () => mails.some((x) => x.mail.text?.includes("agent al-1 offline")) && mails.some((x) => x.mail.text?.includes("agent al-2 offline")), "both offline alerts mailed", 30_000, 50);
    const first = mails[0];
    expect(first.envelopeTo.sort()).toEqual(["lead@example.test", "oncall@example.test"]);
    expect(first.mail.from?.text).toBe('"Switchboard" <alerts@switchboard.test>');
    expect(first.mail.subject).toMatch(/^\[FIRING(:2)?\] AgentOffline$/);
    expect(first.mail.html).toContain("Open in Switchboard");
    expect(first.mail.text).toMatch(/Open in Switchboard: http:\/\/\S+\/alerts/);
    const mailLog = (await admin.get(`/api/v1/alerts/channels/${mailChannel}/deliveries`)).body.deliveries as { ok: boolean; status: number | null }[];
    expect(mailLog.length).toBeGreaterThan(0);
    expect(mailLog.every((d) => d.ok && d.status === 250)).toBe(true);
    const test = await admin.post(`/api/v1/alerts/channels/${mailChannel}/test`, {});
    expect(test.body).toMatchObject({ ok: true, status: 250 });
    await waitFor(async () => mails.some((x) => x.mail.subject?.includes("SwitchboardTest")), "test mail", 10_000, 50);
  }, 90_000);

  it("imports rules from YAML (created, then updated by name) and exports them back", async () => {
    const yaml = `rules:\n  - name: GpuQueueSlow\n    kind: queue_wait\n    params: { target: 1m, window: 15m }\n    for: 5m\n    severity: critical\n    labels: { team: ml }\n  - name: ReleaseGateStuck\n    kind: approval_waiting\n    params: { olderThan: 2h }\n`;
    const post = (body: string, token = adminToken) => fetch(`${server.url}/api/v1/alerts/rules/import`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/yaml" }, body });
    const first = await post(yaml);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ created: ["GpuQueueSlow", "ReleaseGateStuck"], updated: [] });
    const again = await post(yaml.replace("for: 5m", "for: 10m"));
    expect(await again.json()).toEqual({ created: [], updated: ["GpuQueueSlow", "ReleaseGateStuck"] });
    const rule = ((await reader.get("/api/v1/alerts/rules")).body.rules as { name: string; forMs: number; params: Record<string, unknown>; labels: Record<string, string> }[]).find((r) => r.name === "GpuQueueSlow");
    expect(rule).toMatchObject({ forMs: 600_000, params: { targetMs: 60_000, windowMs: 900_000 }, labels: { team: "ml" } });
    // A problem names its place, and nothing of a bad file is saved.
    const bad = await post("rules:\n  - name: Fine\n    kind: dead_tasks\n  - name: Broken\n    kind: queue_wait\n");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^rules\[1\]\.params\.targetMs: /);
    expect(((await reader.get("/api/v1/alerts/rules")).body.rules as { name: string }[]).some((r) => r.name === "Fine")).toBe(false);
    expect((await post(yaml, readToken)).status).toBe(403);
    const exported = await fetch(`${server.url}/api/v1/alerts/rules/export`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(exported.headers.get("content-type")).toMatch(/^application\/yaml/);
    const text = await exported.text();
    expect(text).toContain("name: GpuQueueSlow");
    expect(text).toContain("for: 10m");
    // What was exported imports cleanly: every rule, built-in ones too, updated in place.
    const round = await post(text);
    expect(round.status).toBe(200);
    expect(((await round.json()) as { created: string[] }).created).toEqual([]);
  });

  it("acknowledges a firing alert and keeps every transition in the history", async () => {
    const list = (await reader.get("/api/v1/alerts")).body.alerts as { fingerprint: string; labels: Record<string, string> }[];
    const a1 = list.find((a) => a.labels.agent === "al-1")!;
    expect((await reader.post(`/api/v1/alerts/${a1.fingerprint}/ack`, { comment: "x" })).status).toBe(403);
    const ack = await ops.post(`/api/v1/alerts/${a1.fingerprint}/ack`, { comment: "replacing the machine" });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged).toMatchObject({ by: "token:alerts-ops", comment: "replacing the machine" });
    expect((await ops.post("/api/v1/alerts/nope/ack", {})).status).toBe(404);
    const h = await reader.get(`/api/v1/alerts/history?fingerprint=${a1.fingerprint}`);
    expect((h.body.items as { from: string; to: string }[]).map((t) => `${t.from}→${t.to}`)).toEqual(["pending→firing", "inactive→pending"]);
  });

  it("sends nothing for an alert under a silence, and resolves alerts when their agents come back", async () => {
    const s = await ops.post("/api/v1/alerts/silences", { matchers: ['agent="al-3"'], endsAt: Date.now() + 3_600_000, comment: "maintenance" });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body).toMatchObject({ matchers: ['agent="al-3"'], active: true, createdBy: "token:alerts-ops" });
    start("al-3");
    await online("al-3");
    await agents.get("al-3")!.stop("SIGKILL");
    await waitFor(async () => ((await reader.get("/api/v1/alerts")).body.alerts as { labels: Record<string, string>; phase: string; silencedBy: string[] }[]).some((a) => a.labels.agent === "al-3" && a.phase === "firing" && a.silencedBy.includes(s.body.id)), "al-3 firing, silenced", 30_000, 50);

    // al-1 and al-2 come back: their alerts resolve, and the channel is told.
    start("al-1");
    start("al-2");
    await online("al-1");
    await online("al-2");
    await waitFor(async () => resolvedFor("al-1").length > 0 && resolvedFor("al-2").length > 0, "resolved notices", 30_000, 50);
    expect(received().some((r) => r.payload.alerts.some((a) => a.labels.agent === "al-3"))).toBe(false);
    const after = (await reader.get("/api/v1/alerts")).body.alerts as { labels: Record<string, string>; phase: string }[];
    expect(after.filter((a) => a.labels.agent === "al-1").map((a) => a.phase)).toEqual(["resolved"]);
  }, 90_000);

  it("sends nothing twice after a restart: what was sent is stored", async () => {
    const before = received().length;
    await server.stop();
    server = await server.restart();
    reader = api(server.url, { token: readToken });
    // al-3 is still firing (and silenced); al-1 and al-2 reconnect by themselves.
    await waitFor(async () => ((await reader.get("/api/v1/alerts")).body.alerts as { labels: Record<string, string>; phase: string }[]).some((a) => a.labels.agent === "al-3" && a.phase === "firing"), "state reloaded", 30_000);
    await online("al-1");
    await new Promise((r) => setTimeout(r, 1500));
    const since = received().slice(before);
    // Nothing about al-1 or al-2 firing again (they were resolved and sent as resolved).
    expect(since.filter((r) => r.payload.alerts.some((a) => a.status === "firing" && (a.labels.agent === "al-1" || a.labels.agent === "al-2"))).map((r) => r.payload.alerts.map((a) => a.annotations.summary))).toEqual([]);
  }, 90_000);
});
