// Collects a task's log lines and progress into `task:progress` reports. One report per
// line would flood the server with acks; batching every ~100 ms (or 200 lines) keeps the
// dashboard live while cutting the message count by orders of magnitude.

import { LIMITS, type LogStream } from "../lib/protocol";

export interface ProgressBatch {
  logs: { stream: LogStream; line: string }[];
  percent?: number;
  message?: string;
}

export interface LogBatcherOptions {
  flushMs?: number;
  maxLines?: number;
  emit: (batch: ProgressBatch) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class LogBatcher {
  #logs: ProgressBatch["logs"] = [];
  #percent: number | undefined;
  #message: string | undefined;
  #timer: unknown;
  #stopped = false;
  readonly #flushMs: number;
  readonly #maxLines: number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;

  constructor(private readonly options: LogBatcherOptions) {
    this.#flushMs = options.flushMs ?? 100;
    this.#maxLines = Math.min(options.maxLines ?? 200, LIMITS.logLinesPerReport);
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  log(line: string, stream: LogStream = "stdout") {
    if (this.#stopped) return;
    // The server truncates longer lines; splitting keeps the text instead.
    for (let i = 0; i === 0 || i < line.length; i += LIMITS.logLineLength) {
      this.#logs.push({ stream, line: line.slice(i, i + LIMITS.logLineLength) });
      if (this.#logs.length >= this.#maxLines) this.flush();
    }
    if (this.#logs.length > 0 && this.#timer === undefined) this.#timer = this.#setTimer(() => this.flush(), this.#flushMs);
  }

  /** Progress goes out at once, with whatever lines are waiting, so bars do not lag. */
  progress(percent?: number, message?: string) {
    if (this.#stopped) return;
    if (percent !== undefined) this.#percent = Math.max(0, Math.min(100, percent));
    if (message !== undefined) this.#message = message.slice(0, 500);
    this.flush();
  }

  flush() {
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#timer = undefined;
    if (this.#logs.length === 0 && this.#percent === undefined && this.#message === undefined) return;
    const batch: ProgressBatch = { logs: this.#logs };
    if (this.#percent !== undefined) batch.percent = this.#percent;
    if (this.#message !== undefined) batch.message = this.#message;
    this.#logs = [];
    this.#percent = undefined;
    this.#message = undefined;
    this.options.emit(batch);
  }

  /** Flushes what is waiting (unless `discard`) and ignores anything logged afterwards. */
  stop({ discard = false } = {}) {
    if (discard) {
      this.#logs = [];
      this.#percent = undefined;
      this.#message = undefined;
    }
    this.flush();
    this.#stopped = true;
  }
}
