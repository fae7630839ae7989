import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Ack } from "../lib/protocol";
import { ReportQueue, TransportClosedError, type Report } from "./report-queue";

const ok: Ack = { ok: true };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A fake link: sends resolve when acked, and all in-flight sends fail on disconnect. */
function fakeLink() {
  const delivered: string[] = [];
  const inFlight: { report: Report; resolve: (a: Ack) => void; reject: (e: Error) => void }[] = [];
  let connected = false;
  const send = (report: Report) =>
    new Promise<Ack>((resolve, reject) => {
      if (!connected) return reject(new TransportClosedError());
      inFlight.push({ report, resolve, reject });
    });
  return {
    delivered,
    inFlight,
    send,
    connect: () => (connected = true),
    disconnect() {
      connected = false;
      inFlight.splice(0).forEach((f) => f.reject(new TransportClosedError()));
    },
    ackAll() {
      for (const f of inFlight.splice(0)) {
        delivered.push(f.report.event);
        f.resolve(ok);
      }
    },
  };
}

describe("[report queue]", () => {
  it("sends one report at a time, in order, each after the previous ack", async () => {
    const link = fakeLink();
    link.connect();
    const q = new ReportQueue(link.send);
    q.open();
    const acks = ["a", "b", "c"].map((event) => q.push({ event, payload: null }));
    await tick();
    expect(link.inFlight.map((f) => f.report.event)).toEqual(["a"]);
    for (let i = 0; i < 3; i++) {
      link.ackAll();
      await tick();
    }
    expect(link.delivered).toEqual(["a", "b", "c"]);
    expect(await Promise.all(acks)).toEqual([ok, ok, ok]);
  });

  it("holds reports while closed and delivers them in order after open", async () => {
    const link = fakeLink();
    const q = new ReportQueue(link.send);
    const done = ["accept", "progress", "complete"].map((event) => q.push({ event, payload: null }));
    await tick();
    expect(link.inFlight).toHaveLength(0);
    link.connect();
    q.open();
    for (let i = 0; i < 3; i++) {
      await tick();
      link.ackAll();
    }
    await Promise.all(done);
    expect(link.delivered).toEqual(["accept", "progress", "complete"]);
  });

  it("resends the report whose ack was lost to a disconnect, before the ones behind it", async () => {
    const link = fakeLink();
    link.connect();
    const q = new ReportQueue(link.send);
    q.open();
    const first = q.push({ event: "progress", payload: null });
    const second = q.push({ event: "complete", payload: null });
    await tick();
    link.disconnect();
    q.close();
    await tick();
    expect(q.size).toBe(2);
    link.connect();
    q.open();
    await tick();
    link.ackAll();
    await tick();
    link.ackAll();
    expect(await first).toEqual(ok);
    expect(await second).toEqual(ok);
    expect(link.delivered).toEqual(["progress", "complete"]);
  });

  it("keeps order whatever the pattern of disconnects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("push", "ack", "drop", "reopen"), { maxLength: 60 }), async (steps) => {
        const link = fakeLink();
        const q = new ReportQueue(link.send);
        link.connect();
        q.open();
        const pushed: string[] = [];
        for (const step of steps) {
          if (step === "push") {
            const event = `r${pushed.length}`;
            pushed.push(event);
            void q.push({ event, payload: null });
          } else if (step === "ack") link.ackAll();
          else if (step === "drop") {
            link.disconnect();
            q.close();
          } else {
            link.connect();
            q.open();
          }
          await tick();
        }
        link.connect();
        q.open();
        while (q.size > 0) {
          await tick();
          link.ackAll();
        }
        // At-least-once: a report may repeat after a lost ack, but never goes out of order
        // and never before an earlier one was delivered.
        const firstSeen = link.delivered.filter((e, i) => link.delivered.indexOf(e) === i);
        expect(firstSeen).toEqual(pushed);
      }),
      { numRuns: 100 },
    );
  });

  it("drops the oldest droppable report on overflow, never an outcome", async () => {
    const dropped: string[] = [];
    const q = new ReportQueue(async () => ok, { maxPending: 3, onDrop: (r) => dropped.push(r.event) });
    const p1 = q.push({ event: "progress1", payload: null, droppable: true });
    void q.push({ event: "complete", payload: null });
    void q.push({ event: "progress2", payload: null, droppable: true });
    void q.push({ event: "progress3", payload: null, droppable: true });
    void q.push({ event: "fail", payload: null });
    // progress1 is at the head (possibly in flight) and is kept.
    expect(dropped).toEqual(["progress2", "progress3"]);
    expect(q.size).toBe(3);
    q.open();
    expect(await p1).toEqual(ok);
  });

  it("turns an unexpected send error into a failed ack and moves on", async () => {
    let calls = 0;
    const q = new ReportQueue(async () => {
      if (calls++ === 0) throw new Error("boom");
      return ok;
    });
    q.open();
    const a = q.push({ event: "a", payload: null });
    const b = q.push({ event: "b", payload: null });
    expect(await a).toEqual({ ok: false, error: { code: "INTERNAL", message: "boom" } });
    expect(await b).toEqual(ok);
    await q.whenIdle();
  });
});

describe("[report queue] coalescing", () => {
  it("merges into the last waiting report but never into the one in flight", async () => {
    const link = fakeLink();
    link.connect();
    const q = new ReportQueue(link.send, {
      coalesce: (a, b) => (a.event === b.event ? { event: a.event, payload: [...(a.payload as number[]), ...(b.payload as number[])] } : undefined),
    });
    q.open();
    const acks = [q.push({ event: "p", payload: [1] })];
    await tick();
    acks.push(q.push({ event: "p", payload: [2] }), q.push({ event: "p", payload: [3] }), q.push({ event: "done", payload: [] }), q.push({ event: "p", payload: [4] }));
    expect(q.size).toBe(4);
    const sent: unknown[] = [];
    while (q.size > 0) {
      await tick();
      sent.push(...link.inFlight.map((f) => f.report.payload));
      link.ackAll();
    }
    expect(sent).toEqual([[1], [2, 3], [], [4]]);
    expect(await Promise.all(acks)).toEqual([ok, ok, ok, ok, ok]);
  });
});
