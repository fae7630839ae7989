import { describe, expect, it } from "vitest";
import { stepRule } from "./alert-state";
import { alertLines, atLeast, emailMessage, retryDelayMs, signature, slackPayload, verifySignature, webhookPayload } from "./delivery";

const T = 1_796_000_000_000;

describe("deliveries", () => {
  it("signs a body so that only the same secret, body and a fresh timestamp verify", () => {
    const body = JSON.stringify({ hello: "world" });
    const t = Math.floor(T / 1000);
    const h = signature("s3cret", body, t);
    expect(h).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature("s3cret", body, h, t + 10)).toBe(true);
    expect(verifySignature("other", body, h, t)).toBe(false);
    expect(verifySignature("s3cret", body + " ", h, t)).toBe(false);
    expect(verifySignature("s3cret", body, h, t + 301)).toBe(false); // a replay, later
    expect(verifySignature("s3cret", body, "t=abc,v1=00", t)).toBe(false);
    expect(verifySignature("s3cret", body, null, t)).toBe(false);
  });

  it("builds the Alertmanager-shaped payload, common labels and readable lines", () => {
    const rule = { id: "offline", forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 1000 };
    const r = stepRule(rule, [], ["b-1", "b-2"].map((agent) => ({ labels: { alertname: "AgentOffline", severity: "critical", agent }, value: 3, summary: `agent ${agent} offline` })), [], T);
    const p = webhookPayload("ops-hook", "offline|", r.notices, "http://sb.example/alerts", T);
    expect(p).toMatchObject({ version: "1", status: "firing", reason: "firing", receiver: "ops-hook", commonLabels: { alertname: "AgentOffline", severity: "critical" } });
    expect(p.alerts.map((a) => [a.status, a.labels.agent, a.annotations.summary])).toEqual([
      ["firing", "b-1", "agent b-1 offline"],
      ["firing", "b-2", "agent b-2 offline"],
    ]);
    expect(alertLines(p).subject).toBe("[FIRING:2] AgentOffline");
    expect(slackPayload(p).text).toContain("🔴 agent b-1 offline");
    const resolved = stepRule(rule, r.instances, [], [], T + 1000);
    const q = webhookPayload("ops-hook", "offline|", resolved.notices, "http://sb.example/alerts", T + 1000);
    expect(q.status).toBe("resolved");
    expect(q.alerts[0].endsAt).toBe(new Date(T + 1000).toISOString());
    expect(alertLines(q).subject).toBe("[RESOLVED] AgentOffline");
  });

  it("writes an e-mail whose HTML cannot be injected by a label or summary", () => {
    const rule = { id: "offline", forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 1000 };
    const r = stepRule(rule, [], [{ labels: { alertname: "AgentOffline", severity: "critical", agent: "<img src=x onerror=alert(1)>" }, value: 1, summary: "agent <b>x</b> offline" }], [], T);
    const m = emailMessage(webhookPayload("mail", "offline|", r.notices, "http://sb.example/alerts", T));
    expect(m.subject).toBe("[FIRING] AgentOffline");
    expect(m.text).toContain("🔴 agent <b>x</b> offline");
    expect(m.text).toContain("Open in Switchboard: http://sb.example/alerts");
    expect(m.html).not.toMatch(/<img|<b>/);
    expect(m.html).toContain("&#60;img src=x onerror=alert(1)&#62;");
  });

  it("backs off exponentially with jitter, and ranks severities", () => {
    expect([2, 3, 4, 5].map((n) => retryDelayMs(n, 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(2, 0)).toBe(800);
    expect(retryDelayMs(2, 0.999)).toBeLessThanOrEqual(1200);
    expect(atLeast("critical", "warning")).toBe(true);
    expect(atLeast("info", "warning")).toBe(false);
  });
});
