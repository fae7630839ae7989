import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { MessageView } from "../lib/messaging";
import { addressFrom } from "./cli-messages";
import { agentStatus, findAgent, messageLine, sentLine } from "./cli-messages-format";
import { createMessageHandler, messageEnv, messageFileName, messageLogLine } from "./message-handler";
import type { AgentView } from "../lib/api";

const message: MessageView = {
  id: "msg_1",
  seq: 7,
  from: { agentId: "ag_alice", name: "alice" },
  to: { kind: "agent", value: "bob" },
  threadId: "msg_0",
  replyTo: "msg_0",
  importance: "high",
  body: "please review\nPR 42",
  data: { pr: 42 },
  createdAt: Date.UTC(2026, 10, 24, 8, 39, 49),
};
const quiet = { info() {}, warn() {} };

describe("[messages] formatting", () => {
  it("prints one inbox line per message", () => {
    expect(messageLine(message)).toBe("#7 2026-11-24T08:39:49Z alice [high] please review ⏎ PR 42");
  });

  it("logs the first 80 characters of the body on one line", () => {
    expect(messageLogLine(message)).toBe("message 7 from alice: please review PR 42");
    const long = messageLogLine({ ...message, body: "x".repeat(200) });
    expect(long).toBe(`message 7 from alice: ${"x".repeat(80)}…`);
  });

  it("names message files <seq>-<id>.json", () => {
    expect(messageFileName(message)).toBe("7-msg_1.json");
    expect(messageFileName({ seq: 1, id: "../x" })).toBe("1-.._x.json");
  });

  it("builds the --on-message env", () => {
    expect(messageEnv(message, "ag_bob")).toEqual({
      SWITCHBOARD_MESSAGE_ID: "msg_1",
      SWITCHBOARD_MESSAGE_SEQ: "7",
      SWITCHBOARD_MESSAGE_FROM: "alice",
      SWITCHBOARD_MESSAGE_FROM_ID: "ag_alice",
      SWITCHBOARD_MESSAGE_BODY: "please review\nPR 42",
      SWITCHBOARD_MESSAGE_THREAD: "msg_0",
      SWITCHBOARD_MESSAGE_REPLY_TO: "msg_0",
      SWITCHBOARD_MESSAGE_IMPORTANCE: "high",
      SWITCHBOARD_MESSAGE_TO: "agent:bob",
      SWITCHBOARD_AGENT_ID: "ag_bob",
    });
    const fromToken = messageEnv({ ...message, from: { agentId: null, name: "token:ops" }, replyTo: null });
    expect(fromToken.SWITCHBOARD_MESSAGE_FROM_ID).toBe("");
    expect(fromToken).not.toHaveProperty("SWITCHBOARD_AGENT_ID");
  });

  it("parses send addresses", () => {
    expect(addressFrom(["bob", "hi"], {})).toEqual({ to: { agent: "bob" }, text: "hi" });
    expect(addressFrom(["hi"], { capability: "review:2" })).toEqual({ to: { capability: "review", level: 2 }, text: "hi" });
    expect(addressFrom(["hi"], { channel: "frontend" })).toEqual({ to: { channel: "frontend" }, text: "hi" });
    expect(() => addressFrom(["hi"], {})).toThrow(/expected/);
    expect(() => addressFrom(["bob", "hi"], { channel: "x" })).toThrow(/only the text/);
  });

  it("prints sends and agent status", () => {
    expect(sentLine({ messageId: "m1", recipients: ["a", "b"] })).toBe("sent m1 to a, b");
    const agent: AgentView = {
      id: "ag_1",
      name: "bob",
      kind: "sdk",
      status: "online",
      capabilities: [{ name: "review", level: 3 }],
      labels: {},
      slots: 2,
      slotsUsed: 1,
      currentTasks: [{ id: "t1", title: "build" }],
      version: "0.1.0",
      cpu: null,
      memoryMb: null,
      lastHeartbeatAt: 1_000,
      connectedAt: 0,
      health: "healthy",
      healthReason: null,
      draining: false,
      acceptFrom: [],
      polling: false,
      samples: [],
    };
    expect(findAgent([agent], "bob")).toBe(agent);
    expect(findAgent([agent], "ag_1")).toBe(agent);
    const text = agentStatus(agent, 6_000);
    expect(text).toContain("online");
    expect(text).toContain("1/2 in use");
    expect(text).toContain("t1 build");
    expect(text).toContain("5s ago");
    expect(text).toContain("review:3");
  });
});

describe("[messages] runner handler", () => {
  it("writes the file, runs the command with the message, and replies with its stdout", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "sb-msg-"));
    try {
      const replies: string[] = [];
      const handler = createMessageHandler({
        onMessage: 'read -r line; echo "$SWITCHBOARD_MESSAGE_SEQ $SWITCHBOARD_MESSAGE_FROM $(echo "$line" | head -c 13)"',
        messagesDir: path.join(dir, "inbox"),
        log: quiet,
      });
      await handler(message, {
        reply: async (body) => {
          replies.push(body);
          return { messageId: "r1", threadId: "msg_0", recipients: ["alice"] };
        },
        ack: async () => {},
      });
      expect(replies).toEqual(['7 alice {"id":"msg_1"']);
      expect(await readdir(path.join(dir, "inbox"))).toEqual(["7-msg_1.json"]);
      expect(JSON.parse(await readFile(path.join(dir, "inbox", "7-msg_1.json"), "utf8"))).toEqual(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("sends no reply for empty output or a failing command", async () => {
    const warnings: string[] = [];
    const replies: string[] = [];
    const handler = createMessageHandler({ onMessage: "echo oops >&2; exit 3", log: { info() {}, warn: (w) => warnings.push(w) } });
    const ctx = { reply: async (b: string) => (replies.push(b), { messageId: "r", threadId: "t", recipients: [] }), ack: async () => {} };
    await handler(message, ctx);
    expect(replies).toEqual([]);
    expect(warnings[0]).toMatch(/exited with 3: oops/);
  });
});
