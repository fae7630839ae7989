// The caller's address for rate limits and the audit log. X-Forwarded-For is believed only when
// SWITCHBOARD_TRUST_PROXY is set (behind a reverse proxy); otherwise anyone could pick their own
// bucket by sending the header.
import type { IncomingMessage } from "node:http";

let trustProxy = false;
export function setTrustProxy(on: boolean) {
  trustProxy = on;
}

export function clientIp(req: IncomingMessage): string {
  if (trustProxy) {
    const fwd = req.headers["x-forwarded-for"];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}
