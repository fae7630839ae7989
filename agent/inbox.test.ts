import { describe, expect, it } from "vitest";
import type { MessageView } from "../lib/messaging";
import { MessageInbox } from "./inbox";

const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function msg(seq: number): MessageView {
  return {
    id: `m${seq}`,
    seq,
    from: { agentId: "a1", name: "alice" },
    to: { kind: "agent", value: "bob" },
    threadId: `m${seq}`,
    replyTo: null,
    importance: "normal",
    body: `body ${seq}`,
    data: null,
    createdAt: 0,
  };
}

/** A controllable handler and ack link. */
function harness(ackDelayMs = 50) {
  const handled: number[] = [];
  const acks: number[] = [];
  let connected = true;
  const gates = new Map<number, () => void>();
  let gated = false;
  const inbox = new MessageInbox({
    ackDelayMs,
    handle: async (m) => {
      if (gated) await new Promise<void>((resolve) => gates.set(m.seq, resolve));
      handled.push(m.seq);
    },
    sendAck: async (upTo) => {
      if (!connected) throw new Error("not connected");
      acks.push(upTo);
    },
  });
  return {
    inbox,
    handled,
    acks,
    gate: (on: boolean) => (gated = on),
    open: (seq: number) => gates.get(seq)?.(),
    setConnected: (c: boolean) => (connected = c),
  };
}

describe("[message inbox]", () => {
  it("handles messages one at a time, in seq order", async () => {
    const h = harness();
    h.gate(true);
    [1, 2, 3].forEach((s) => h.inbox.push(msg(s)));
    await tick();
    expect(h.handled).toEqual([]);
    h.open(1);
    await tick();
    expect(h.handled).toEqual([1]);
    // 3 cannot start before 2 is done
    h.open(3);
    await tick();
    expect(h.handled).toEqual([1]);
    h.open(2);
    await tick();
    await tick();
    h.open(3);
    await h.inbox.whenIdle();
    expect(h.handled).toEqual([1, 2, 3]);
  });

  it("skips re-pushed messages after a reconnect and acks them again", async () => {
    const h = harness();
    [1, 2].forEach((s) => h.inbox.push(msg(s)));
    await h.inbox.whenIdle();
    await tick();
    expect(h.acks.at(-1)).toBe(2);
    // The ack of 3 is lost: the link drops before it.
    h.setConnected(false);
    h.inbox.push(msg(3));
    await h.inbox.whenIdle();
    await tick();
    expect(h.inbox.ackedUpTo).toBe(2);
    // Reconnect: the server pushes 3 again, then the new 4.
    h.setConnected(true);
    expect(h.inbox.push(msg(3))).toBe(false);
    expect(h.inbox.push(msg(2))).toBe(false);
    expect(h.inbox.push(msg(4))).toBe(true);
    await h.inbox.whenIdle();
    await tick();
    expect(h.handled).toEqual([1, 2, 3, 4]);
    expect(h.inbox.ackedUpTo).toBe(4);
  });

  it("flush() re-sends an ack that a disconnect cut", async () => {
    const h = harness();
    h.setConnected(false);
    h.inbox.push(msg(1));
    await h.inbox.whenIdle();
    await tick();
    expect(h.acks).toEqual([]);
    h.setConnected(true);
    await h.inbox.flush();
    expect(h.acks).toEqual([1]);
    await h.inbox.flush();
    expect(h.acks).toEqual([1]); // nothing new to ack
  });

  it("batches acks while busy and acks at once when idle", async () => {
    const h = harness(40);
    for (let s = 1; s <= 20; s++) h.inbox.push(msg(s));
    await h.inbox.whenIdle();
    await tick();
    // A handful of cumulative acks, not one per message, ending with the last.
    expect(h.acks.length).toBeLessThan(5);
    expect(h.acks.at(-1)).toBe(20);
    expect([...h.acks].sort((a, b) => a - b)).toEqual(h.acks);
    // Idle again: a single new message is acked without waiting for the timer.
    h.inbox.push(msg(21));
    await h.inbox.whenIdle();
    await tick();
    expect(h.acks.at(-1)).toBe(21);
  });

  it("acks periodically during a long backlog", async () => {
    const h = harness(20);
    let slow = 0;
    const inbox = new MessageInbox({
      ackDelayMs: 20,
      handle: async () => {
        slow++;
        await sleep(10);
      },
      sendAck: async (upTo) => void h.acks.push(upTo),
    });
    for (let s = 1; s <= 10; s++) inbox.push(msg(s));
    await sleep(60);
    expect(h.acks.length).toBeGreaterThan(0);
    expect(h.acks.at(-1)!).toBeLessThan(10);
    await inbox.whenIdle();
    await tick();
    expect(h.acks.at(-1)).toBe(10);
    expect(slow).toBe(10);
  });

  it("ackNow acks the running message before its handler returns", async () => {
    const acks: number[] = [];
    let release!: () => void;
    const inbox: MessageInbox = new MessageInbox({
      handle: async (m) => {
        await inbox.ackNow(m.seq);
        await new Promise<void>((resolve) => (release = resolve));
      },
      sendAck: async (upTo) => void acks.push(upTo),
    });
    inbox.push(msg(1));
    inbox.push(msg(2));
    await tick();
    expect(acks).toEqual([1]);
    release();
    await tick();
    await tick();
    release();
    await inbox.whenIdle();
    await tick();
    expect(acks.at(-1)).toBe(2);
  });

  it("a failing handler still counts as handled", async () => {
    const acks: number[] = [];
    const inbox = new MessageInbox({
      handle: async () => {
        throw new Error("boom");
      },
      sendAck: async (upTo) => void acks.push(upTo),
    });
    inbox.push(msg(1));
    await inbox.whenIdle();
    await tick();
    expect(acks).toEqual([1]);
  });
});
