import { describe, expect, it } from "vitest";
import { MessageOutbox } from "./message-outbox";
import { TransportClosedError } from "./report-queue";
import type { Ack } from "../lib/protocol";
import type { SendMessage } from "../lib/messaging";

const msg = (body: string): SendMessage => ({ to: { agent: "b" }, body, importance: "normal" });
const tick = () => new Promise((r) => setImmediate(r));

/** A fake link: records batches, answers them when told, and can be cut. */
function link() {
  const batches: { bodies: string[]; answer: (acks: Ack[]) => void; cut: () => void }[] = [];
  const fallback: string[] = [];
  let connected = true;
  const outbox = new MessageOutbox({
    canSend: () => connected,
    sendBatch: (messages) =>
      new Promise((resolve, reject) => {
        batches.push({ bodies: messages.map((m) => m.body), answer: resolve, cut: () => reject(new TransportClosedError()) });
      }),
    fallback: async (m) => {
      fallback.push(m.body);
      return { ok: true, data: { via: "queue" } };
    },
    maxInFlight: 2,
    maxBatch: 3,
  });
  return { outbox, batches, fallback, setConnected: (c: boolean) => (connected = c) };
}

describe("MessageOutbox", () => {
  it("sends what is sent in one turn as one batch, and fills the next while two are in flight", async () => {
    const l = link();
    const acks = ["a", "b", "c", "d", "e", "f", "g"].map((b) => l.outbox.send(msg(b)));
    await tick();
    // maxBatch 3, two in flight: a-b-c and d-e-f leave, g waits.
    expect(l.batches.map((b) => b.bodies)).toEqual([["a", "b", "c"], ["d", "e", "f"]]);
    l.batches[0].answer([{ ok: true, data: 1 }, { ok: false, error: { code: "NOT_FOUND", message: "no" } }, { ok: true, data: 3 }]);
    await tick();
    expect(l.batches.map((b) => b.bodies)).toEqual([["a", "b", "c"], ["d", "e", "f"], ["g"]]);
    l.batches[1].answer([{ ok: true }, { ok: true }, { ok: true }]);
    l.batches[2].answer([{ ok: true, data: 7 }]);
    const results = await Promise.all(acks);
    expect(results[1]).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "no" } });
    expect(results[6]).toEqual({ ok: true, data: 7 });
    await l.outbox.whenIdle();
  });

  it("hands cut batches and waiting sends to the ordered fallback, in send order", async () => {
    const l = link();
    const acks = ["a", "b", "c", "d", "e", "f", "g"].map((b) => l.outbox.send(msg(b)));
    await tick();
    l.setConnected(false);
    l.batches[0].cut();
    await tick();
    // The second batch is still in flight: nothing may overtake it.
    expect(l.fallback).toEqual(["a", "b", "c"]);
    l.batches[1].cut();
    await Promise.all(acks);
    expect(l.fallback).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(l.batches).toHaveLength(2);
  });

  it("goes straight to the fallback while the link is down and nothing is pending", async () => {
    const l = link();
    l.setConnected(false);
    expect(await l.outbox.send(msg("x"))).toEqual({ ok: true, data: { via: "queue" } });
    expect(l.batches).toHaveLength(0);
  });

  it("rejects a batch's sends when the batch fails for another reason", async () => {
    const outbox = new MessageOutbox({
      canSend: () => true,
      sendBatch: () => Promise.reject(new Error("boom")),
      fallback: () => Promise.reject(new Error("unused")),
    });
    await expect(outbox.send(msg("x"))).rejects.toThrow("boom");
  });
});
