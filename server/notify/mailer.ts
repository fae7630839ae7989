// E-mail out, over the SMTP relay the operator names (SWITCHBOARD_SMTP_URL): alert channels and
// scheduled reports both send through here. One pooled nodemailer transport per process; each
// send answers with the relay's verdict instead of throwing, so callers can log the attempt.
import nodemailer, { type Transporter } from "nodemailer";

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
}

export interface Mail {
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly MailAttachment[];
}

export interface MailOutcome {
  ok: boolean;
  /** The relay's SMTP reply code (250 when accepted), null when it could not be reached. */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface Mailer {
  readonly configured: boolean;
  send(m: Mail): Promise<MailOutcome>;
  close(): void;
}

const TIMEOUT_MS = 10_000;

/** A mailer over `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS). */
export function smtpMailer(url: string | undefined, from: string): Mailer {
  if (!url) {
    return {
      configured: false,
      send: async () => ({ ok: false, status: null, error: "no SMTP relay configured (SWITCHBOARD_SMTP_URL)", durationMs: 0 }),
      close: () => {},
    };
  }
  const u = new URL(url);
  let transport: Transporter | null = null;
  const open = () =>
    (transport ??= nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port) || (u.protocol === "smtps:" ? 465 : 587),
      secure: u.protocol === "smtps:",
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      // A relay on localhost usually has no certificate for "localhost"; anything else must.
      tls: { rejectUnauthorized: !["127.0.0.1", "localhost", "::1"].includes(u.hostname) },
      pool: true,
      maxConnections: 2,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    }));
  return {
    configured: true,
    async send(m) {
      const started = performance.now();
      try {
        const info = await open().sendMail({ from, to: [...m.to], subject: m.subject, text: m.text, html: m.html, attachments: m.attachments?.map((a) => ({ ...a })) });
        const code = Number(/^(\d{3})/.exec(String(info.response ?? ""))?.[1] ?? 250);
        const rejected = (info.rejected ?? []).length;
        return { ok: rejected === 0, status: code, error: rejected ? `${rejected} of ${m.to.length} addresses refused` : null, durationMs: performance.now() - started };
      } catch (e) {
        const err = e as Error & { responseCode?: number; code?: string };
        return { ok: false, status: err.responseCode ?? null, error: err.responseCode ? err.message.slice(0, 300) : (err.code ?? err.message).slice(0, 300), durationMs: performance.now() - started };
      }
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
}
