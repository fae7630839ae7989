// Real receivers on 127.0.0.1 for what Switchboard sends out: an SMTP server (smtp-server, with
// a password, parsed by mailparser) and an HTTP webhook receiver that can be "down" for a while.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface ReceivedMail {
  envelopeTo: string[];
  mail: ParsedMail;
}

export async function startSmtpReceiver(auth: { user: string; pass: string }) {
  const mails: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    // Plain-text passwords are fine on loopback; the relay must still send the right one.
    allowInsecureAuth: true,
    onAuth: (a, _session, cb) => (a.username === auth.user && a.password === auth.pass ? cb(null, { user: a.username }) : cb(new Error("Invalid username or password"))),
    onData: (stream, session, cb) => {
      void simpleParser(stream).then((mail) => {
        mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    mails,
    /** What SWITCHBOARD_SMTP_URL is set to. */
    url: `smtp://${auth.user}:${auth.pass}@127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}

export interface ReceivedHook {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  const state = { failNext: 0 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (state.failNext > 0) {
        state.failNext--;
        res.writeHead(503).end("down for a moment");
        return;
      }
      received.push({ at: Date.now(), headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    received,
    /** The receiver answers 503 to this many requests first (a receiver that is down for a moment). */
    failNext: (n: number) => void (state.failNext = n),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
