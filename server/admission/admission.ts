// Admission, in front of every HTTP way in (tRPC, REST, MCP, login): rate limits per
// caller and per IP, the CSRF check for cookie-authenticated mutations, security headers and
// request tracking. Authorization itself is the policy check each layer runs (lib/policy.ts);
// this decides whether a request gets that far.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { Clock } from "@/server/core/clock";
import { AppError } from "@/server/errors";
import { SESSION_COOKIE, readCookie, type SessionService } from "@/server/auth/session";
import { bearer } from "@/server/auth/principal";
import { RateLimiter, type BucketLimit, type Verdict } from "./rate-limit";
import { RequestStats } from "./request-stats";
import { clientIp } from "./client-ip";

export interface GatewayLimits {
  /** Per API token or per user. */
  caller: BucketLimit;
  /** Per client address, whoever it claims to be. */
  ip: BucketLimit;
  /** Login attempts, per address and per user name. */
  login: BucketLimit;
  /** Socket.IO events per connection. */
  socketEvents: BucketLimit;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    what: string,
  ) {
    super("RATE_LIMITED", `Too many requests ${what}; retry in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`);
  }
}

function check(v: Verdict, what: string) {
  if (!v.ok) throw new RateLimitedError(v.retryAfterMs, what);
}

export class Admission {
  readonly stats: RequestStats;
  private readonly callers: RateLimiter;
  private readonly ips: RateLimiter;
  private readonly logins: RateLimiter;
  private readonly loginsByIp: RateLimiter;
  readonly limits: GatewayLimits;

  constructor(deps: { clock: Clock; sessions: SessionService; limits: GatewayLimits }) {
    this.limits = deps.limits;
    this.stats = new RequestStats(deps.clock);
    this.callers = new RateLimiter(deps.limits.caller, deps.clock);
    this.ips = new RateLimiter(deps.limits.ip, deps.clock);
    this.logins = new RateLimiter(deps.limits.login, deps.clock);
    // An address may try several user names: four times the per-name allowance.
    this.loginsByIp = new RateLimiter({ perSecond: deps.limits.login.perSecond * 4, burst: deps.limits.login.burst * 4 }, deps.clock);
    this.sessions = deps.sessions;
  }

  private readonly sessions: SessionService;

  /**
   * Rate limits for one API request: its address, then its caller (the token, or the user
   * behind the session cookie). Throws RateLimitedError. Returns the caller key for tracking.
   */
  async admit(req: IncomingMessage): Promise<string | null> {
    const ip = clientIp(req);
    check(this.ips.take(`ip:${ip}`), `from ${ip}`);
    const secret = bearer(req);
    if (secret) {
      check(this.callers.take(`tok:${sha(secret)}`), "for this token");
      return null;
    }
    const user = await this.sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (user) check(this.callers.take(`usr:${user.userId}`), `for user ${user.username}`);
    return user?.username ?? null;
  }

  /**
   * Login throttling counts failures: per address and per user name, a caller whose failures
   * emptied the bucket waits — even with the right password — before it is checked again.
   * Successful logins cost nothing, so a busy office behind one address is not locked out.
   */
  admitLogin(req: IncomingMessage, username: string) {
    check(this.loginsByIp.peek(`ip:${clientIp(req)}`), "— too many failed logins from this address");
    check(this.logins.peek(`user:${username.toLowerCase()}`), `— too many failed logins for ${username}`);
  }

  loginFailed(req: IncomingMessage, username: string) {
    this.loginsByIp.take(`ip:${clientIp(req)}`);
    this.logins.take(`user:${username.toLowerCase()}`);
  }

  /**
   * CSRF: a mutation that authenticates with the session cookie must come from our own pages —
   * its Origin (or, failing that, Referer) must be this host. Token-authenticated calls carry
   * no ambient credentials and need no check; SameSite=Strict cookies are the second fence.
   */
  checkCsrf(req: IncomingMessage) {
    if (!UNSAFE.has(req.method ?? "GET") || req.headers.authorization) return;
    if (!readCookie(req.headers.cookie, SESSION_COOKIE) && req.url !== "/api/auth/login") return;
    const source = req.headers.origin ?? req.headers.referer;
    const host = req.headers["x-forwarded-host"] ?? req.headers.host;
    let sourceHost: string | null = null;
    try {
      sourceHost = source ? new URL(String(source)).host : null;
    } catch {
      sourceHost = null;
    }
    if (!source && req.url === "/api/auth/login") return; // a script logging in (curl): no browser, no CSRF
    if (!sourceHost || sourceHost !== host) {
      throw new AppError("FORBIDDEN", "Cross-site request refused: a cookie-authenticated change must come from this dashboard (Origin check).");
    }
  }
}

/**
 * Headers on every answer. The CSP allows inline scripts because Next's app router inlines its
 * bootstrap data (a nonce would force every page to render dynamically); everything else is
 * same-origin only, and no one may frame us.
 */
export function securityHeaders(dev: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };
}

/** Sends a 429 with Retry-After (whole seconds, at least 1). */
export function sendRateLimited(res: ServerResponse, e: RateLimitedError) {
  const seconds = Math.max(1, Math.ceil(e.retryAfterMs / 1000));
  res.writeHead(429, { "content-type": "application/json", "retry-after": String(seconds) });
  res.end(JSON.stringify({ error: { code: "RATE_LIMITED", message: e.message, retryAfterSeconds: seconds } }));
}
