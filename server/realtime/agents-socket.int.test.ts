// [SOCKET] the /agents namespace refuses bad tokens and bad messages without harm.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let token: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

function connect(auth: Record<string, unknown>): Socket {
  const s = io(`${server.url}/agents`, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
  sockets.push(s);
  return s;
}

const emit = (s: Socket, event: string, arg?: unknown) =>
  new Promise<{ ok: boolean; error?: { code: string; message: string }; data?: any }>((resolve) => // eslint-disable-line @typescript-eslint/no-explicit-any
    arg === undefined ? s.emit(event, resolve) : s.emit(event, arg, resolve),
  );

describe("[SOCKET] agent gateway", () => {
  it("refuses a connection with an unknown token, saying why", async () => {
    const s = connect({ token: "sb_wrong" });
    const err = await new Promise<Error>((r) => s.once("connect_error", r));
    expect(err.message).toMatch(/Unknown API token/);
  });

  it("answers malformed events with BAD_REQUEST and keeps the connection", async () => {
    const s = connect({ token });
    await new Promise<void>((r) => s.once("connect", () => r()));
    expect((await emit(s, "task:complete", { taskId: "x", attempt: 1 })).error?.code).toBe("BAD_REQUEST"); // not registered
    const bad = await emit(s, "agent:register", { name: "", slots: "many" });
    expect(bad.error?.code).toBe("BAD_REQUEST");
    expect(bad.error?.message).toMatch(/name/);
    expect((await emit(s, "agent:register", "just a string")).error?.code).toBe("BAD_REQUEST");
    s.emit("agent:heartbeat", { cpu: "hot" }); // no ack callback at all
    const ok = await emit(s, "agent:register", { name: "sock-1", capabilities: ["x:2"] });
    expect(ok.ok).toBe(true);
    expect(ok.data.agentId).toMatch(/^ag_/);
    expect((await emit(s, "task:accept", { taskId: 5, attempt: "one" })).error?.code).toBe("BAD_REQUEST");
    const stale = await emit(s, "task:complete", { taskId: "t_missing", attempt: 1 });
    expect(stale.error?.code).toBe("STALE_ATTEMPT");
    expect(s.connected).toBe(true);
    expect(server.output()).not.toMatch(/unhandled error/);
  });

  it("closes a live agent connection when its token is revoked", async () => {
    const secret = await createToken(server, "revoke-me");
    const s = connect({ token: secret });
    await new Promise<void>((r) => s.once("connect", () => r()));
    await emit(s, "agent:register", { name: "doomed" });
    const cookie = await adminCookie(server);
    const list = await fetch(`${server.url}/api/trpc/tokens.find`, { headers: { cookie } }).then((r) => r.json());
    const id = list.result.data.find((t: { name: string }) => t.name === "revoke-me").id;
    const disconnected = new Promise((r) => s.once("disconnect", r));
    const rev = await fetch(`${server.url}/api/trpc/tokens.revoke`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ id }),
    });
    expect(rev.status).toBe(200);
    await disconnected;
    await waitFor(async () => {
      const again = connect({ token: secret });
      const err = await new Promise<Error>((r) => again.once("connect_error", r));
      return /revoked/.test(err.message);
    }, "revoked token refused");
  });
});

describe("[TRPC] bad input", () => {
  it("answers invalid procedure input with 400, unknown procedures with 404, no session with 401", async () => {
    const cookie = await adminCookie(server);
    const bad = await fetch(`${server.url}/api/trpc/tasks.submit`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ title: 5 }),
    });
    expect(bad.status).toBe(400);
    const malformed = await fetch(`${server.url}/api/trpc/tasks.submit`, { method: "POST", headers: { cookie, origin: server.url, "content-type": "application/json" }, body: "{nope" });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${server.url}/api/trpc/nope.nothing`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/trpc/fleet.stats`)).status).toBe(401);
    const ok = await fetch(`${server.url}/api/trpc/fleet.stats`, { headers: { cookie } });
    expect(ok.status).toBe(200);
  });

  it("throttles nothing yet but refuses a wrong password with 401 and a sentence", async () => {
    const r = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "wrong-one" }) });
    expect(r.status).toBe(401);
    expect((await r.json()).error.message).toBe("Wrong username or password.");
  });
});
