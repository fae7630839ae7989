// What a channel receives, and how it can trust it. Webhooks carry a JSON body shaped like
// Alertmanager's (version, status, groupKey, alerts with labels and annotations), signed as
// Stripe signs: header `Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">`, so a receiver rejects a forged or replayed call. Slack-compatible channels
// get `{ text }` with one line per alert. Failed deliveries are retried with exponential
// backoff and jitter. Pure apart from hashing.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Notice, Severity } from "./alert-state";

export const SIGNATURE_HEADER = "Switchboard-Signature";
/** A receiver should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_S = 300;

export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver runs: true when the header is a fresh, valid signature of the body. */
export function verifySignature(secret: string, body: string, header: string | null | undefined, nowSeconds: number, toleranceS = SIGNATURE_TOLERANCE_S): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceS || !parts.v1) return false;
  const expected = Buffer.from(signature(secret, body, t).split("v1=")[1], "hex");
  const given = Buffer.from(parts.v1, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookAlert {
  status: "firing" | "resolved";
  fingerprint: string;
  labels: Record<string, string>;
  annotations: { summary: string };
  value: number | null;
  startsAt: string;
  endsAt: string | null;
  acknowledged: { by: string; at: string; comment: string } | null;
}

export interface WebhookPayload {
  version: "1";
  /** Which notification this is: the same group key for the same rule and grouping labels. */
  groupKey: string;
  status: "firing" | "resolved";
  /** "repeat" when it is a reminder of something already announced. */
  reason: "firing" | "repeat" | "resolved" | "test";
  receiver: string;
  alerts: WebhookAlert[];
  commonLabels: Record<string, string>;
  /** Where the alert can be seen. */
  externalURL: string;
  sentAt: string;
}

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

export function webhookPayload(receiver: string, groupKey: string, notices: readonly Notice[], externalURL: string, now: number): WebhookPayload {
  const alerts: WebhookAlert[] = notices.map((n) => ({
    status: n.kind === "resolved" ? "resolved" : "firing",
    fingerprint: n.alert.fingerprint,
    labels: { ...n.alert.labels },
    annotations: { summary: n.alert.summary },
    value: n.alert.value,
    startsAt: iso(n.alert.firingAt ?? n.alert.activeAt)!,
    endsAt: iso(n.alert.resolvedAt),
    acknowledged: n.alert.acknowledged ? { by: n.alert.acknowledged.by, at: iso(n.alert.acknowledged.at)!, comment: n.alert.acknowledged.comment } : null,
  }));
  const common: Record<string, string> = {};
  if (alerts.length) for (const [k, v] of Object.entries(alerts[0].labels)) if (alerts.every((a) => a.labels[k] === v)) common[k] = v;
  const firing = alerts.some((a) => a.status === "firing");
  const reason = notices.every((n) => n.kind === "repeat") ? "repeat" : firing ? "firing" : "resolved";
  return { version: "1", groupKey, status: firing ? "firing" : "resolved", reason, receiver, alerts, commonLabels: common, externalURL, sentAt: iso(now)! };
}

const MARK: Record<Severity, string> = { critical: "🔴", warning: "🟠", info: "🔵" };

/** One line per alert, as a person reads it in a chat or an e-mail subject and body. */
export function alertLines(p: WebhookPayload): { subject: string; lines: string[] } {
  const firing = p.alerts.filter((a) => a.status === "firing");
  const name = p.commonLabels.alertname ?? p.alerts[0]?.labels.alertname ?? "alert";
  const subject = p.status === "firing" ? `[FIRING${firing.length > 1 ? `:${firing.length}` : ""}] ${name}${p.reason === "repeat" ? " (still firing)" : ""}` : `[RESOLVED] ${name}`;
  const lines = p.alerts.map((a) => `${a.status === "resolved" ? "✅" : (MARK[a.labels.severity as Severity] ?? "•")} ${a.annotations.summary}${a.status === "resolved" ? " — resolved" : ""}`);
  return { subject, lines };
}

/** The Slack incoming-webhook body (also what Mattermost and Rocket.Chat accept). */
export function slackPayload(p: WebhookPayload): { text: string } {
  const { subject, lines } = alertLines(p);
  return { text: [`*${subject}*`, ...lines, `<${p.externalURL}|Open in Switchboard>`].join("\n") };
}

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The e-mail of a notification: the chat lines as plain text, and a small HTML table of the alerts and their labels. */
export function emailMessage(p: WebhookPayload): { subject: string; text: string; html: string } {
  const { subject, lines } = alertLines(p);
  const labelsOf = (l: Record<string, string>) => Object.entries(l).filter(([k]) => k !== "alertname").map(([k, v]) => `${k}=${v}`).join(", ");
  const text = [...lines.flatMap((l, i) => [l, `   ${labelsOf(p.alerts[i].labels)} · since ${p.alerts[i].startsAt}`]), "", `Open in Switchboard: ${p.externalURL}`].join("\n");
  const rows = p.alerts
    .map((a, i) => `<tr><td style="padding:4px 8px">${escapeHtml(lines[i])}</td><td style="padding:4px 8px;color:#555">${escapeHtml(labelsOf(a.labels))}</td><td style="padding:4px 8px;color:#555">${escapeHtml(a.startsAt)}</td></tr>`)
    .join("");
  const html = `<div style="font-family:system-ui,sans-serif"><h2 style="font-size:16px">${escapeHtml(subject)}</h2><table style="border-collapse:collapse;font-size:14px">${rows}</table><p><a href="${escapeHtml(p.externalURL)}">Open in Switchboard</a></p></div>`;
  return { subject, text, html };
}

export const MAX_ATTEMPTS = 5;

/** Delay before attempt `n` (2, 3, …): 1 s, 2 s, 4 s, 8 s, each ±20 %; `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: number, baseMs = 1000): number {
  const d = baseMs * 2 ** Math.max(0, attempt - 2);
  return Math.round(d * (0.8 + 0.4 * random));
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
export const atLeast = (s: string, min: Severity) => (RANK[s as Severity] ?? 0) >= RANK[min];
