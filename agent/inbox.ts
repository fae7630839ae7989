// The agent's side of its mailbox: takes `message:received` pushes, runs the handler on one
// message at a time in seq order, and acknowledges cumulatively.
//
// Dedupe: the server pushes every unacknowledged message again after a reconnect, including
// ones this process already handled but whose ack was lost. The inbox remembers the highest
// seq it has taken in (queued or handled) and skips anything at or below it, so within one
// process a handler sees each message once. A skipped re-push still triggers an ack, since
// its coming back means the server has not recorded one.
//
// Ack batching: after a handler finishes, the highest handled seq is acked at once when
// nothing else is queued, else at most every `ackDelayMs`. Only one ack is in flight; acks
// are cumulative, so a later one supersedes a pending one and nothing needs queueing. An ack
// cut by a disconnect is sent again by `flush()` after the agent re-registers.

import { messageViewSchema, type MessageView } from "../lib/messaging";

/** A pushed message: the one schema the server answers with (lib/messaging.ts). */
export { messageViewSchema };

export interface InboxOptions {
  /** Handles one message; the inbox waits for it before the next. Errors are the caller's to catch. */
  handle: (message: MessageView) => Promise<void>;
  /** Sends `message:ack {upTo}`; rejects when the link is down (the ack is retried by flush()). */
  sendAck: (upTo: number) => Promise<void>;
  ackDelayMs?: number;
}

export class MessageInbox {
  readonly #options: InboxOptions;
  readonly #queue: MessageView[] = [];
  /** Highest seq taken in (queued or handled); pushes at or below it are duplicates. */
  #seen = 0;
  /** Highest seq whose handler has finished (or that the handler acked early). */
  #handled = 0;
  /** Highest seq the server confirmed as acked. */
  #acked = 0;
  #running = false;
  #ackInFlight: Promise<void> | undefined;
  #ackTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: InboxOptions) {
    this.#options = options;
  }

  get handledUpTo() {
    return this.#handled;
  }

  get ackedUpTo() {
    return this.#acked;
  }

  get pending() {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  /** Takes a pushed message; returns false when it was a duplicate (or the inbox is stopped). */
  push(message: MessageView): boolean {
    if (this.#stopped) return false;
    if (message.seq <= this.#seen) {
      if (message.seq <= this.#handled && message.seq > this.#acked) this.#scheduleAck();
      return false;
    }
    this.#seen = message.seq;
    this.#queue.push(message);
    void this.#pump();
    return true;
  }

  /** Marks everything up to `seq` (at most the message being handled) as handled and acks it now. */
  ackNow(seq: number): Promise<void> {
    if (seq > this.#handled) this.#handled = Math.min(seq, this.#seen);
    return this.flush();
  }

  /** Sends the ack for the highest handled seq if the server has not confirmed it yet. */
  async flush(): Promise<void> {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    while (this.#handled > this.#acked) {
      if (this.#ackInFlight) {
        await this.#ackInFlight;
        continue;
      }
      const upTo = this.#handled;
      this.#ackInFlight = this.#options.sendAck(upTo).then(
        () => void (this.#acked = Math.max(this.#acked, upTo)),
        () => undefined,
      );
      const sent = this.#ackInFlight;
      await sent;
      this.#ackInFlight = undefined;
      if (this.#acked < upTo) return; // failed (link down); flush() again after re-registering
    }
  }

  /** Takes no more messages; those queued but not started are dropped (the server keeps them). */
  stop() {
    this.#stopped = true;
    this.#queue.length = 0;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #pump() {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const message = this.#queue.shift()!;
        await this.#options.handle(message).catch(() => undefined);
        if (message.seq > this.#handled) this.#handled = message.seq;
        this.#scheduleAck();
      }
    } finally {
      this.#running = false;
      this.#idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  #scheduleAck() {
    if (this.#stopped) return;
    if (this.#queue.length === 0) {
      void this.flush();
    } else {
      this.#ackTimer ??= setTimeout(() => void this.flush(), this.#options.ackDelayMs ?? 50);
    }
  }
}
