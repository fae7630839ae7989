// [IDENTITY] users, sessions, tokens and the gateway against the real server: roles, logout and
// disabling end sessions at once, object-level checks on agent tokens, expired tokens, rate
// limits with 429 + Retry-After that recover, login throttling, CSRF, audit and headers.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, trpc as trpcClient } from "@/testing/api";
import { adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let admin: string;

const trpc = (cookie: string, procedure: string, input?: unknown, extra: Record<string, string> = {}) => trpcClient(server.url, cookie).mutate(procedure, input, extra);
const query = (cookie: string, procedure: string, input?: unknown) => trpcClient(server.url, cookie).query(procedure, input);
async function login(username: string, password: string) {
  const r = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  return { status: r.status, cookie: r.headers.get("set-cookie")?.split(";")[0] ?? "", setCookie: r.headers.get("set-cookie") ?? "", body: await r.json(), retryAfter: r.headers.get("retry-after") };
}

beforeAll(async () => {
  server = await startServerProcess({ env: { SWITCHBOARD_RATE_LIMIT: "20/20", SWITCHBOARD_LOGIN_RATE_LIMIT: "5/5" } });
  admin = await adminCookie(server);
});
afterAll(async () => {
  await server?.stop();
});

describe("[IDENTITY] people", () => {
  it("creates users with roles; a viewer reads but cannot change; an operator can; the cookie is httpOnly and SameSite", async () => {
    expect((await trpc(admin, "users.create", { username: "olga", password: "operator-pass-1", role: "operator" })).status).toBe(200);
    expect((await trpc(admin, "users.create", { username: "vic", password: "viewer-pass-1", role: "viewer" })).status).toBe(200);
    expect((await trpc(admin, "users.create", { username: "vic", password: "viewer-pass-1", role: "viewer" })).body.error?.message).toMatch(/already exists/);
    expect((await trpc(admin, "users.create", { username: "short", password: "abc", role: "viewer" })).body.error?.message).toMatch(/at least 10/);

    const vic = await login("vic", "viewer-pass-1");
    expect(vic.status).toBe(200);
    expect(vic.setCookie).toMatch(/HttpOnly/);
    expect(vic.setCookie).toMatch(/SameSite=Strict/);
    expect(vic.setCookie).not.toMatch(/Secure/); // plain HTTP here; Secure when served over TLS
    expect((await query(vic.cookie, "tasks.find", {})).status).toBe(200);
    const submit = await trpc(vic.cookie, "tasks.submit", { title: "nope", command: "true" });
    expect(submit.status).toBe(403);
    expect(submit.body.error?.message).toMatch(/Not allowed for your role \(viewer\)/);

    const olga = await login("olga", "operator-pass-1");
    const t = await trpc(olga.cookie, "tasks.submit", { title: "by olga", command: "true", requires: ["nobody-has-this"] });
    expect(t.status).toBe(200);
    const id = (t.body.result!.data as { id: string }).id;
    expect((await trpc(olga.cookie, "tasks.cancel", { id })).status).toBe(200);
    expect((await trpc(olga.cookie, "users.create", { username: "x", password: "0123456789", role: "admin" })).status).toBe(403);

    // The audit log has both, with who, what, where and how it ended.
    const audit = await query(admin, "audit.find", { actor: "olga" });
    const items = (audit.body.result!.data as { items: { action: string; outcome: string; ip: string; role: string; target: string | null }[] }).items;
    expect(items.map((i) => [i.action, i.outcome])).toEqual(expect.arrayContaining([["tasks.submit", "ok"], ["tasks.cancel", "ok"], ["users.create", "denied"]]));
    expect(items.find((i) => i.action === "tasks.cancel")).toMatchObject({ ip: "127.0.0.1", role: "operator", target: id });
    const denied = await query(admin, "audit.find", { actor: "vic", outcome: "denied" });
    expect((denied.body.result!.data as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(1);
    // Passwords never reach the audit log.
    const created = await query(admin, "audit.find", { action: "users.create", outcome: "ok" });
    expect(JSON.stringify(created.body)).not.toMatch(/viewer-pass-1/);
  });

  it("logout and disabling a user end their sessions at once; the last admin cannot be demoted", async () => {
    expect((await trpc(admin, "users.create", { username: "dora", password: "disable-me-1", role: "operator" })).status).toBe(200);
    const dora = await login("dora", "disable-me-1");
    expect((await query(dora.cookie, "fleet.stats")).status).toBe(200);
    const users = (await query(admin, "users.find")).body.result!.data as { id: string; username: string }[];
    const id = users.find((u) => u.username === "dora")!.id;
    expect((await trpc(admin, "users.setDisabled", { id, disabled: true })).status).toBe(200);
    expect((await query(dora.cookie, "fleet.stats")).status).toBe(401);
    expect((await login("dora", "disable-me-1")).status).toBe(403);
    expect((await trpc(admin, "users.setDisabled", { id, disabled: false })).status).toBe(200);

    const again = await login("dora", "disable-me-1");
    const out = await fetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie: again.cookie, origin: server.url } });
    expect(out.status).toBe(200);
    expect((await query(again.cookie, "fleet.stats")).status).toBe(401);

    const adminId = users.find((u) => u.username === "admin")!.id;
    const demote = await trpc(admin, "users.setRole", { id: adminId, role: "viewer" });
    expect(demote.status).toBe(409);
    expect(demote.body.error?.message).toMatch(/yourself|last enabled admin/);
  });

  it("refuses cookie-authenticated changes from another origin (CSRF) and sets security headers", async () => {
    const noOrigin = await fetch(`${server.url}/api/trpc/tasks.submit`, { method: "POST", headers: { "content-type": "application/json", cookie: admin }, body: "{}" });
    expect(noOrigin.status).toBe(403);
    expect(((await noOrigin.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site/);
    const evil = await trpc(admin, "tasks.submit", { title: "x", command: "true" }, { origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    // A token carries no ambient authority: no Origin needed.
    const token = await createToken(server, "csrf-free", "submit");
    expect((await api(server.url, { token }).post("/api/v1/tasks", { title: "ok", command: "true", requires: ["nobody-has-this"] })).status).toBe(201);

    const h = (await fetch(`${server.url}/healthz`)).headers;
    expect(h.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("x-frame-options")).toBe("DENY");
  });
});

describe("[IDENTITY] machines", () => {
  it("an agent token cannot touch another token's agent, task or inbox, nor register under its name", async () => {
    const mine = await createToken(server, "owner");
    const other = await createToken(server, "intruder");
    const a = api(server.url, { token: mine });
    const b = api(server.url, { token: other });
    const id = (await a.post("/api/v1/agents/register", { name: "owned-agent", capabilities: ["own"] })).body.agentId;
    const ops = api(server.url, { token: await createToken(server, "owner-ops", "submit") });
    // Least privilege: the agent token itself may not submit; the operator's token does.
    expect((await a.post("/api/v1/tasks", { title: "mine", command: "true", requires: ["own"] })).status).toBe(403);
    const submitted = await ops.post("/api/v1/tasks", { title: "mine", command: "true", requires: ["own"] });
    const taskId = submitted.body.task.id;
    const claimed = await a.post(`/api/v1/agents/${id}/claim?wait=5`);
    expect(claimed.body.tasks[0].taskId).toBe(taskId);
    expect((await b.post(`/api/v1/tasks/${taskId}/complete`, { attempt: 1, result: "stolen" })).status).toBe(403);
    expect((await b.get(`/api/v1/agents/${id}/inbox`)).status).toBe(403);
    expect((await b.post(`/api/v1/agents/${id}/inbox/ack`, { upTo: 0 })).status).toBe(403);
    expect((await b.post(`/api/v1/agents/${id}/messages`, { to: { agent: "owned-agent" }, body: "spoof" })).status).toBe(403);
    expect((await b.post("/api/v1/agents/register", { name: "owned-agent" })).status).toBe(403);
    expect((await a.post(`/api/v1/tasks/${taskId}/complete`, { attempt: 1, result: "mine" })).status).toBe(200);
  });

  it("an expired token is refused, naming why; a read token reads but cannot submit", async () => {
    const secret = await createToken(server, "short-lived", "read");
    // Expire it in the store before its first use (verified tokens are cached for 30 s).
    const db = new Database(path.join(server.dataDir, "switchboard.db"));
    db.prepare(`UPDATE "ApiToken" SET "expiresAt" = ? WHERE "name" = 'short-lived'`).run(new Date(Date.now() - 1000).toISOString().replace("Z", "+00:00"));
    db.close();
    const r = await api(server.url, { token: secret }).get("/api/v1/tasks");
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/expired/);

    const reader = api(server.url, { token: await createToken(server, "reader", "read") });
    expect((await reader.get("/api/v1/tasks")).status).toBe(200);
    const refused = await reader.post("/api/v1/tasks", { title: "x", command: "true" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/scope \(read\)/);
  });
});

describe("[IDENTITY] rate limits", () => {
  it("answers a burst over the limit with 429 and Retry-After, counts it, and recovers", async () => {
    const token = await createToken(server, "bursty", "read");
    const c = api(server.url, { token });
    // 100 at once against a bucket of 20 refilled at 20/s: even if a loaded machine spreads them
    // over two seconds, dozens are over the limit.
    const statuses = await Promise.all(Array.from({ length: 100 }, () => fetch(`${server.url}/api/v1/stats`, { headers: { authorization: `Bearer ${token}` } })));
    const limited = statuses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited[0].json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    // Other callers are not affected by this token's bucket.
    expect((await query(admin, "fleet.stats")).status).toBe(200);
    await waitFor(async () => (await c.get("/api/v1/stats")).status === 200, "recovery after Retry-After", 5000, 200);
    const stats = (await query(admin, "traffic.stats", { windowMinutes: 5 })).body.result!.data as { routes: { route: string; rateLimited: number; count: number; p95Ms: number }[] };
    const route = stats.routes.find((r) => r.route === "GET /api/v1/stats")!;
    expect(route.rateLimited).toBeGreaterThanOrEqual(15);
    expect(route.count).toBeGreaterThanOrEqual(101);
  });

  it("throttles login attempts per user name: even the right password waits", async () => {
    expect((await trpc(admin, "users.create", { username: "brute", password: "the-right-one", role: "viewer" })).status).toBe(200);
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await login("brute", `guess-${i}`)).status);
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5)).toEqual([429, 429]);
    const right = await login("brute", "the-right-one");
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThanOrEqual(1);
    const audit = await query(admin, "audit.find", { actor: "brute", action: "login" });
    expect((audit.body.result!.data as { items: { outcome: string }[] }).items.map((i) => i.outcome)).toContain("denied");
  });
});

describe("[IDENTITY] data directory", () => {
  it("keeps no plain password or session secret in the database", () => {
    const db = new Database(path.join(server.dataDir, "switchboard.db"), { readonly: true });
    const users = db.prepare(`SELECT "passwordHash" FROM "User"`).all() as { passwordHash: string }[];
    expect(users.every((u) => u.passwordHash.startsWith("$argon2id$"))).toBe(true);
    db.close();
    expect(fs.existsSync(path.join(server.dataDir, "session-secret"))).toBe(false);
  });
});
