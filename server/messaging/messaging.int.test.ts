// [MESSAGING] durable mailboxes against the real server, over Socket.IO and HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { api } from "@/testing/api";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import type { MessageView } from "@/lib/messaging";

let server: ServerHandle;
let token: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server, "msg");
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

interface Peer {
  socket: Socket;
  id: string;
  inbox: MessageView[];
}

type AckReply<T = any> = { ok: boolean; data?: T; error?: { code: string; message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const emit = <T = any>(s: Socket, event: string, arg: unknown) => new Promise<AckReply<T>>((r) => s.emit(event, arg, r)); // eslint-disable-line @typescript-eslint/no-explicit-any

async function connect(name: string, card: Record<string, unknown> = {}): Promise<Peer> {
  const socket = io(`${server.url}/agents`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  sockets.push(socket);
  const inbox: MessageView[] = [];
  // Like the SDK, a peer keeps what it has seen by seq: a push it already has is not a new message.
  socket.on("messages:received", (list: MessageView[]) => {
    for (const m of list) if (!inbox.some((x) => x.seq === m.seq)) inbox.push(m);
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  const reg = await emit(socket, "agent:register", { name, ...card });
  expect(reg.ok, JSON.stringify(reg)).toBe(true);
  return { socket, id: reg.data.agentId, inbox };
}

const send = (from: Peer, body: unknown) => emit(from.socket, "message:send", body);

describe("[MESSAGING] mailboxes", () => {
  it("delivers in order, keeps unacknowledged messages across a reconnect and while offline, and acks exactly once", async () => {
    const a = await connect("msg-a");
    let b = await connect("msg-b");
    for (let i = 1; i <= 5; i++) expect((await send(a, { to: { agent: "msg-b" }, body: `hello ${i}` })).ok).toBe(true);
    await waitFor(() => b.inbox.length === 5, "five messages");
    expect(b.inbox.map((m) => [m.seq, m.body])).toEqual([1, 2, 3, 4, 5].map((i) => [i, `hello ${i}`]));
    expect(b.inbox[0].from).toEqual({ agentId: a.id, name: "msg-a" });
    expect((await emit(b.socket, "message:ack", { upTo: 3 })).data).toEqual({ acked: 3 });
    expect((await emit(b.socket, "message:ack", { upTo: 3 })).data).toEqual({ acked: 0 });

    b.socket.close();
    // Sent while the recipient is offline: stored, not lost.
    await send(a, { to: { agent: "msg-b" }, body: "while away 1" });
    const last = await send(a, { to: { agent: b.id }, body: "while away 2", importance: "urgent" });
    expect(last.data.recipients).toEqual(["msg-b"]);

    b = await connect("msg-b");
    await waitFor(() => b.inbox.length === 4, "the unacknowledged four, again");
    expect(b.inbox.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(b.inbox.map((m) => m.body)).toEqual(["hello 4", "hello 5", "while away 1", "while away 2"]);
    expect(b.inbox[3].importance).toBe("urgent");
    expect((await emit(b.socket, "message:ack", { upTo: 7 })).data).toEqual({ acked: 4 });
    b.socket.close();

    b = await connect("msg-b");
    await send(a, { to: { agent: "msg-b" }, body: "fresh" });
    await waitFor(() => b.inbox.length >= 1, "the next message");
    expect(b.inbox.map((m) => [m.seq, m.body])).toEqual([[8, "fresh"]]);
  });

  it("sendMany stores a batch in order; a bad message fails alone", async () => {
    const a = await connect("many-a");
    const b = await connect("many-b");
    const r = await emit<{ results: AckReply[] }>(a.socket, "message:sendMany", {
      messages: [
        { to: { agent: "many-b" }, body: "one" },
        { to: { agent: "nobody-here" }, body: "lost?" },
        { to: { agent: "many-b" }, body: 42 },
        { to: { agent: "many-b" }, body: "two", importance: "high" },
      ],
    });
    expect(r.ok).toBe(true);
    expect(r.data!.results.map((x) => (x.ok ? "ok" : x.error!.code))).toEqual(["ok", "NOT_FOUND", "BAD_REQUEST", "ok"]);
    expect(r.data!.results[2].error!.message).toMatch(/body/);
    await waitFor(() => b.inbox.length === 2, "the two good ones");
    expect(b.inbox.map((m) => [m.seq, m.body, m.importance])).toEqual([[1, "one", "normal"], [2, "two", "high"]]);
    // A send repeated with the same idempotency key (an answer lost on the way) is stored once.
    const first = await send(a, { to: { agent: "many-b" }, body: "once", key: "k-1" });
    const again = await send(a, { to: { agent: "many-b" }, body: "once", key: "k-1" });
    expect(again.data).toEqual(first.data);
    await waitFor(() => b.inbox.length === 3, "the keyed message");
    // One mailbox is delivered in order: a second copy would arrive before the next message.
    await send(a, { to: { agent: "many-b" }, body: "after once" });
    await waitFor(() => b.inbox.some((m) => m.body === "after once"), "the message after it");
    expect(b.inbox.filter((m) => m.body === "once")).toHaveLength(1);
    // The batch itself must be well-formed: an array of 1..500.
    expect((await emit(a.socket, "message:sendMany", { messages: [] })).error?.code).toBe("BAD_REQUEST");
    expect((await emit(a.socket, "message:sendMany", { messages: Array(501).fill({ to: { agent: "many-b" }, body: "x" }) })).error?.code).toBe("BAD_REQUEST");
    expect((await emit(a.socket, "message:sendMany", "nope")).error?.code).toBe("BAD_REQUEST");
  });

  it("survives a server restart: unacknowledged messages are still there", async () => {
    let a = await connect("keep-a");
    const b = await connect("keep-b");
    await send(a, { to: { agent: "keep-b" }, body: "handled before the restart" });
    await send(a, { to: { agent: "keep-b" }, body: "before the restart" });
    await waitFor(() => b.inbox.length === 2, "delivery");
    expect((await emit(b.socket, "message:ack", { upTo: 1 })).data).toEqual({ acked: 1 });
    for (const s of sockets) s.close();
    await server.stop();
    server = await server.restart();
    const again = await connect("keep-b");
    await waitFor(() => again.inbox.length === 1, "redelivery after restart");
    // The acknowledged one stays acknowledged (the mailbox's watermark is stored).
    expect(again.inbox[0]).toMatchObject({ seq: 2, body: "before the restart" });
    await send(a = await connect("keep-a"), { to: { agent: "keep-b" }, body: "after" });
    await waitFor(() => again.inbox.length === 2, "numbering goes on after the restart");
    expect(again.inbox[1]).toMatchObject({ seq: 3, body: "after" });
  });

  it("threads replies and addresses capabilities, channels and everyone", async () => {
    const lead = await connect("lead", { channels: ["frontend"] });
    const rev = await connect("reviewer-1", { capabilities: ["review:3"], channels: ["frontend"] });
    const other = await connect("bystander", { capabilities: ["build"] });

    const ask = await send(lead, { to: { capability: "review", level: 2 }, body: "please review #42" });
    expect(ask.data.recipients).toEqual(["reviewer-1"]);
    await waitFor(() => rev.inbox.length === 1, "capability delivery");
    const reply = await send(rev, { to: { agent: rev.inbox[0].from.agentId }, body: "LGTM", replyTo: rev.inbox[0].id });
    expect(reply.data.threadId).toBe(ask.data.messageId);
    await waitFor(() => lead.inbox.some((m) => m.body === "LGTM"), "the reply");
    expect(lead.inbox.find((m) => m.body === "LGTM")).toMatchObject({ threadId: ask.data.messageId, replyTo: ask.data.messageId });

    const none = await send(lead, { to: { capability: "gpu" }, body: "anyone?" });
    expect(none.error?.code).toBe("NOT_FOUND");

    const chan = await send(lead, { to: { channel: "frontend" }, body: "deploy at 5" });
    expect(chan.data.recipients).toEqual(["reviewer-1"]);
    const all = await send(other, { to: { broadcast: true }, body: "hello all" });
    expect(all.data.recipients).toEqual(expect.arrayContaining(["lead", "reviewer-1"]));
    expect(all.data.recipients).not.toContain("bystander");
  });

  it("serves HTTP agents: send, long-poll the inbox, ack; refuses oversize bodies", async () => {
    const c = api(server.url, { token });
    const h = (await c.post("/api/v1/agents/register", { name: "http-mail" })).body.agentId;
    const poll = c.get(`/api/v1/agents/${h}/inbox?wait=10`);
    await new Promise((r) => setTimeout(r, 200));
    // A script sends as an operator would, with a submit token; agents send as themselves.
    const ops = api(server.url, { token: await createToken(server, "msg-ops", "submit") });
    expect((await c.post("/api/v1/messages", { to: { agent: "http-mail" }, body: "agents send as their agent" })).status).toBe(403);
    const sent = await ops.post("/api/v1/messages", { to: { agent: "http-mail" }, body: "from a script" });
    expect(sent.status).toBe(201);
    const got = await poll;
    expect(got.body.messages.map((m: MessageView) => [m.seq, m.body, m.from.name])).toEqual([[1, "from a script", "token:msg-ops"]]);
    expect((await c.post(`/api/v1/agents/${h}/inbox/ack`, { upTo: 1 })).body).toEqual({ acked: 1 });
    expect((await c.get(`/api/v1/agents/${h}/inbox`)).body.messages).toEqual([]);
    expect((await c.post(`/api/v1/agents/${h}/inbox/ack`, { upTo: 99 })).status).toBe(400);
    const big = await c.post(`/api/v1/agents/${h}/messages`, { to: { agent: "http-mail" }, body: "x".repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/body must be at most 65536 bytes/);
    expect((await ops.post("/api/v1/messages", { to: { agent: "nobody" }, body: "?" })).status).toBe(404);
  });
});
