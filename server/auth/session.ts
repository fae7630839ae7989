// The bootstrap admin login (users and roles arrive with the identity work): one account from
// config, a signed, expiring session cookie. The password is compared via scrypt digests with
// a constant-time comparison, so neither its length nor its prefix leaks through timing.
import { createHmac, scryptSync, timingSafeEqual, randomBytes } from "node:crypto";
import type { Clock } from "@/server/core/clock";

export const SESSION_COOKIE = "sb_session";

export interface Session {
  username: string;
  expiresAt: number;
}

export class SessionService {
  private readonly salt = randomBytes(16);
  private readonly passwordDigest: Buffer;

  constructor(
    private readonly opts: { username: string; password: string; secret: string; hours: number; clock: Clock },
  ) {
    this.passwordDigest = scryptSync(opts.password, this.salt, 32);
  }

  checkPassword(username: string, password: string): boolean {
    const digest = scryptSync(password, this.salt, 32);
    const userOk = username === this.opts.username;
    return timingSafeEqual(digest, this.passwordDigest) && userOk;
  }

  issue(username: string): { value: string; maxAgeSeconds: number } {
    const expiresAt = this.opts.clock.now() + this.opts.hours * 3_600_000;
    const body = Buffer.from(JSON.stringify({ u: username, e: expiresAt })).toString("base64url");
    return { value: `${body}.${this.sign(body)}`, maxAgeSeconds: this.opts.hours * 3600 };
  }

  verify(cookieValue: string | undefined): Session | null {
    if (!cookieValue || cookieValue.length > 1000) return null;
    const [body, sig] = cookieValue.split(".");
    if (!body || !sig) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const { u, e } = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { u: string; e: number };
      if (typeof u !== "string" || typeof e !== "number" || e <= this.opts.clock.now()) return null;
      return { username: u, expiresAt: e };
    } catch {
      return null;
    }
  }

  private sign(body: string) {
    return createHmac("sha256", this.opts.secret).update(body).digest("base64url");
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
