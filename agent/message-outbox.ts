// The agent's outgoing messages while connected: sends made in the same turn of the event loop
// go out together as one `message:sendMany` (one emit, one write on the server), and while a
// couple of batches are in flight the next one keeps filling. At low load that is one message
// per emit with no added wait beyond the current turn; under load the batches grow by
// themselves, so throughput is not bounded by one emit (or one database statement) per message.
//
// Order: batches leave in send order over one connection and the server numbers them as they
// arrive. When the link drops, a batch cut in flight and everything still waiting here go, in
// order, to `fallback` (the SDK's ordered report queue, replayed after re-registering) — and no
// new batch leaves before the cut ones were handed over, so a later message cannot overtake.
import { TransportClosedError } from "./report-queue";
import type { Ack } from "../lib/protocol";
import { MESSAGE_LIMITS, type SendMessage } from "../lib/messaging";

export interface OutboxOptions {
  /** True while a batch may be emitted now (registered, connected, nothing queued for replay). */
  canSend: () => boolean;
  /** Emits one batch; resolves with one ack per message, rejects with TransportClosedError when cut. */
  sendBatch: (messages: SendMessage[]) => Promise<Ack[]>;
  /** The ordered, reconnect-safe path for one message. */
  fallback: (message: SendMessage) => Promise<Ack>;
  maxInFlight?: number;
  maxBatch?: number;
}

interface Waiting {
  message: SendMessage;
  resolve: (ack: Ack) => void;
  reject: (error: Error) => void;
}

export class MessageOutbox {
  readonly #options: OutboxOptions;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  send(message: SendMessage): Promise<Ack> {
    if (this.#waiting.length === 0 && this.#inFlight === 0 && !this.#options.canSend()) return this.#options.fallback(message);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ message, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when nothing waits here and no batch is in flight. */
  whenIdle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the current turn's I/O callbacks, so every send they make joins this batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush() {
    const maxInFlight = this.#options.maxInFlight ?? 2;
    while (this.#waiting.length > 0 && this.#inFlight < maxInFlight) {
      if (!this.#options.canSend()) {
        // Cut batches are handed over first (their settle calls #flush again).
        if (this.#inFlight > 0) return;
        for (const w of this.#waiting.splice(0)) this.#options.fallback(w.message).then(w.resolve, w.reject);
        break;
      }
      const batch = this.#waiting.splice(0, this.#options.maxBatch ?? MESSAGE_LIMITS.batch);
      this.#inFlight++;
      this.#options
        .sendBatch(batch.map((w) => w.message))
        .then(
          (acks) =>
            batch.forEach((w, i) => {
              const ack = acks[i];
              // Refused for now (rate limit, load shedding): the ordered queue waits and resends.
              if (!ack.ok && ack.error.retryAfterMs !== undefined) this.#options.fallback(w.message).then(w.resolve, w.reject);
              else w.resolve(ack);
            }),
          (error: Error) => {
            if (!(error instanceof TransportClosedError)) return batch.forEach((w) => w.reject(error));
            // Possibly stored already (the answer is what was cut): at-least-once, like any report.
            for (const w of batch) this.#options.fallback(w.message).then(w.resolve, w.reject);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#flush();
        });
    }
    if (this.#waiting.length === 0 && this.#inFlight === 0) this.#idle.splice(0).forEach((wake) => wake());
  }
}
