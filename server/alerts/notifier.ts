// Sends alert notices to channels: routes each notice to the channels whose matchers and lowest
// severity it meets, groups them per channel (by rule and the channel's grouping labels), and
// delivers each group — a signed JSON webhook, a Slack-compatible message or an e-mail over
// the SMTP relay — retrying with exponential backoff up to MAX_ATTEMPTS, every attempt recorded.
import type { Clock } from "@/server/core/clock";
import { groupNotices, type Notice } from "@/server/core/alerts/alert-state";
import { MAX_ATTEMPTS, SIGNATURE_HEADER, atLeast, emailMessage, retryDelayMs, signature, slackPayload, webhookPayload, type WebhookPayload } from "@/server/core/alerts/delivery";
import type { MailAttachment, Mailer } from "@/server/notify/mailer";
import { matchesAll } from "@/lib/label-matchers";
import type { AlertDeliveryRow, AlertRepository, ChannelRow } from "@/server/store/ports";
import { log } from "@/server/log";

const TIMEOUT_MS = 5_000;

/** A report as each kind of channel carries it. */
export interface ReportMessage {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  slackText: string;
  json: unknown;
}

export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Notices a channel gets: those its route accepts. */
export const routed = (c: ChannelRow, notices: readonly Notice[]) => notices.filter((n) => atLeast(n.alert.labels.severity ?? "info", c.minSeverity) && matchesAll(c.matchers, n.alert.labels));

export class Notifier {
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deps: { store: Pick<AlertRepository, "recordDelivery">; clock: Clock; externalUrl: string; mailer?: Mailer; random?: () => number; retryBaseMs?: number },
  ) {}

  /** Hands each channel its notices, grouped; returns once every first attempt is done (retries go on in the background). */
  async send(channels: readonly ChannelRow[], notices: readonly Notice[]): Promise<void> {
    if (!notices.length) return;
    const now = this.deps.clock.now();
    const jobs: Promise<void>[] = [];
    for (const c of channels) {
      if (!c.enabled) continue;
      for (const g of groupNotices(routed(c, notices), c.groupBy)) {
        const payload = webhookPayload(c.name, g.key, g.notices, this.deps.externalUrl, now);
        jobs.push(this.attempt(c, g.key, payload.alerts.length, () => this.post(c, payload), 1));
      }
    }
    await Promise.all(jobs);
  }

  get canMail(): boolean {
    return !!this.deps.mailer?.configured;
  }

  /** A test notification to one channel, once, without retries: what the "Send test" button shows. */
  async test(c: ChannelRow): Promise<DeliveryOutcome> {
    const now = this.deps.clock.now();
    const payload: WebhookPayload = {
      ...webhookPayload(c.name, "test", [], this.deps.externalUrl, now),
      status: "firing",
      reason: "test",
      alerts: [{ status: "firing", fingerprint: "test", labels: { alertname: "SwitchboardTest", severity: "info" }, annotations: { summary: `Test notification from Switchboard to ${c.name}` }, value: null, startsAt: new Date(now).toISOString(), endsAt: null, acknowledged: null }],
      commonLabels: { alertname: "SwitchboardTest", severity: "info" },
    };
    const out = await this.post(c, payload);
    await this.record(c, "test", 1, payload.alerts.length, out);
    return out;
  }

  stop() {
    this.stopped = true;
    this.deps.mailer?.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * A report to one channel: the mail (HTML body, PDF attached) for e-mail, a short line with
   * its link for Slack, a signed JSON body for a webhook — retried like an alert.
   */
  async sendReport(c: ChannelRow, key: string, m: ReportMessage): Promise<void> {
    if (!c.enabled) return;
    await this.attempt(c, key, 0, () => (c.kind === "email" ? this.mailReport(c, m) : this.postJson(c, c.kind === "slack" ? { text: m.slackText } : m.json)), 1);
  }

  private async mailReport(c: ChannelRow, m: ReportMessage): Promise<DeliveryOutcome> {
    if (!this.deps.mailer?.configured) return { ok: false, status: null, error: "no SMTP relay configured (SWITCHBOARD_SMTP_URL)", durationMs: 0 };
    return this.deps.mailer.send({ to: (c.config.to ?? "").split(",").filter(Boolean), subject: m.subject, text: m.text, html: m.html, attachments: m.attachments });
  }

  private async attempt(c: ChannelRow, groupKey: string, alerts: number, send: () => Promise<DeliveryOutcome>, n: number): Promise<void> {
    const out = await send();
    await this.record(c, groupKey, n, alerts, out);
    if (out.ok || n >= MAX_ATTEMPTS || this.stopped) {
      if (!out.ok) log.warn("alert delivery gave up", { channel: c.name, attempts: n, error: out.error });
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(c, groupKey, alerts, send, n + 1);
    }, retryDelayMs(n + 1, (this.deps.random ?? Math.random)(), this.deps.retryBaseMs));
    this.timers.add(t);
  }

  private async post(c: ChannelRow, payload: WebhookPayload): Promise<DeliveryOutcome> {
    if (c.kind === "email") return this.mail(c, payload);
    return this.postJson(c, c.kind === "slack" ? slackPayload(payload) : payload);
  }

  /** POSTs a JSON body, signed for a webhook with a secret; never throws. */
  private async postJson(c: ChannelRow, json: unknown): Promise<DeliveryOutcome> {
    const started = performance.now();
    const url = c.config.url;
    const body = JSON.stringify(json);
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Switchboard-Alerts/1" };
    if (c.kind === "webhook" && c.config.secret) headers[SIGNATURE_HEADER] = signature(c.config.secret, body, Math.floor(this.deps.clock.now() / 1000));
    try {
      const r = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
      await r.arrayBuffer().catch(() => undefined);
      const ok = r.status >= 200 && r.status < 300;
      return { ok, status: r.status, error: ok ? null : `HTTP ${r.status}`, durationMs: performance.now() - started };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason = err.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
      return { ok: false, status: null, error: reason, durationMs: performance.now() - started };
    }
  }

  private async mail(c: ChannelRow, payload: WebhookPayload): Promise<DeliveryOutcome> {
    const to = (c.config.to ?? "").split(",").filter(Boolean);
    if (!this.deps.mailer?.configured) return { ok: false, status: null, error: "no SMTP relay configured (SWITCHBOARD_SMTP_URL)", durationMs: 0 };
    return this.deps.mailer.send({ to, ...emailMessage(payload) });
  }

  private async record(c: ChannelRow, groupKey: string, attempt: number, alerts: number, out: DeliveryOutcome) {
    const row: Omit<AlertDeliveryRow, "id"> = { channelId: c.id, groupKey, attempt, at: this.deps.clock.now(), ok: out.ok, status: out.status, error: out.error, alerts, durationMs: out.durationMs };
    await this.deps.store.recordDelivery(row).catch((e: Error) => log.warn("delivery not recorded", { error: e.message }));
  }
}
