// Delivers an agent's reports one at a time, in order, each awaited for its ack.
//
// Why one at a time: the server fences on (taskId, attempt), and a `task:complete` that
// overtook the last `task:progress` would turn those logs into rejected stale reports.
// While the connection is down the queue is closed and reports pile up; it is opened again
// only after the agent has re-registered, because the server ignores reports from a socket
// that has not registered. A report whose send was cut by a disconnect is sent again after
// the reconnect (at-least-once), so the server must treat a repeated report as harmless.

import type { Ack } from "../lib/protocol";

/** Thrown by a sender when the connection went away before the ack arrived. */
export class TransportClosedError extends Error {
  constructor(message = "not connected") {
    super(message);
  }
}

export interface Report {
  event: string;
  payload: unknown;
  /** Progress reports may be dropped when the queue overflows during a long outage; outcomes never are. */
  droppable?: boolean;
}

export type ReportSender = (report: Report) => Promise<Ack>;

interface Pending {
  report: Report;
  /** Times the server refused it with "retry after" (rate limit, load shedding). */
  retries?: number;
  /** More than one when later reports were merged into this one. */
  resolvers: ((ack: Ack) => void)[];
}

export interface ReportQueueOptions {
  /** Above this many waiting reports the oldest droppable one is discarded. */
  maxPending?: number;
  onDrop?: (report: Report) => void;
  /** Merges a new report into the last waiting one (e.g. two log batches of one task), or
   * returns undefined to queue it separately. After an outage this turns hundreds of
   * small progress reports into a few large ones. */
  coalesce?: (waiting: Report, next: Report) => Report | undefined;
  /** Waits before a report refused with `retryAfterMs` is sent again (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** The longest one wait may be, whatever the server asks. */
  maxRetryWaitMs?: number;
  /** A report refused with `retryAfterMs` this many times gets that refusal as its ack. */
  maxRetries?: number;
}

export class ReportQueue {
  #items: Pending[] = [];
  #open = false;
  /** Bumped on every open(); a send that failed in an older epoch is retried at once. */
  #epoch = 0;
  #pumping = false;
  #inFlight: Pending | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(
    private readonly send: ReportSender,
    private readonly options: ReportQueueOptions = {},
  ) {}

  get size() {
    return this.#items.length;
  }

  get isOpen() {
    return this.#open;
  }

  /** Resolves with the server's ack once the report has been delivered (or dropped). */
  push(report: Report): Promise<Ack> {
    return new Promise((resolve) => {
      const last = this.#items.at(-1);
      const merged = last && last !== this.#inFlight ? this.options.coalesce?.(last.report, report) : undefined;
      if (last && merged) {
        last.report = merged;
        last.resolvers.push(resolve);
        return;
      }
      this.#items.push({ report, resolvers: [resolve] });
      this.#dropOverflow();
      void this.#pump();
    });
  }

  open() {
    this.#open = true;
    this.#epoch++;
    void this.#pump();
  }

  close() {
    this.#open = false;
  }

  /** Resolves once nothing is waiting or in flight. */
  whenIdle(): Promise<void> {
    if (this.#items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#open && this.#items.length > 0) {
        const head = this.#items[0];
        const epoch = this.#epoch;
        let ack: Ack;
        this.#inFlight = head;
        try {
          ack = await this.send(head.report);
        } catch (error) {
          this.#inFlight = undefined;
          if (error instanceof TransportClosedError) {
            // Keep the report at the head; it goes out first after the next open().
            if (epoch === this.#epoch) this.#open = false;
            continue;
          }
          ack = { ok: false, error: { code: "INTERNAL", message: (error as Error).message } };
        }
        this.#inFlight = undefined;
        // A refusal that passes (rate limit, load shedding) says when to come back: the report
        // stays at the head, so nothing behind it overtakes, and goes again after the wait.
        if (!ack.ok && ack.error.retryAfterMs !== undefined && (head.retries ?? 0) < (this.options.maxRetries ?? 20)) {
          head.retries = (head.retries ?? 0) + 1;
          const wait = Math.min(ack.error.retryAfterMs, this.options.maxRetryWaitMs ?? 30_000);
          await (this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
          continue;
        }
        this.#items.shift();
        head.resolvers.forEach((resolve) => resolve(ack));
      }
    } finally {
      this.#pumping = false;
      if (this.#items.length === 0) this.#idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  #dropOverflow() {
    const max = this.options.maxPending ?? Infinity;
    if (this.#items.length <= max) return;
    // Index 0 may be in flight, so it is never the one dropped.
    const index = this.#items.findIndex((item, i) => i > 0 && item.report.droppable);
    if (index < 0) return;
    const [dropped] = this.#items.splice(index, 1);
    const ack: Ack = { ok: false, error: { code: "UNAVAILABLE", message: "dropped: too many reports waiting for the connection" } };
    dropped.resolvers.forEach((resolve) => resolve(ack));
    this.options.onDrop?.(dropped.report);
  }
}
