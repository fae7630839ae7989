// The load-shedding adapter: measures the event loop's delay (perf_hooks) every 100 ms and
// feeds it to the pure governor (server/core/overload.ts), and turns its verdicts into the
// refusal every transport knows — UNAVAILABLE (HTTP 503) with `retryAfterMs`, which REST and
// tRPC send as Retry-After and sockets as a field of the ack.
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Clock } from "@/server/core/clock";
import { DEFAULT_OVERLOAD_POLICY, OverloadGovernor, type AdmitVerdict, type OverloadPolicy } from "@/server/core/overload";
import { AppError } from "@/server/errors";
import { log } from "@/server/log";

const SAMPLE_MS = 100;

function p99(xs: number[]): number {
  if (xs.length === 0) return 0;
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))];
}

export class OverloadError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    reason: "overloaded" | "queue_full",
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      "UNAVAILABLE",
      reason === "queue_full"
        ? `The queue is full (the server holds its maximum of unfinished tasks); retry in ${seconds} s.`
        : `The server is overloaded and is shedding new work; retry in ${seconds} s.`,
      { retryAfterMs, reason },
    );
  }
}

export class OverloadGuard {
  readonly governor: OverloadGovernor;
  private histogram: IntervalHistogram | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Arrival → answer of the submissions accepted in the current window (ms). */
  private sojourns: number[] = [];

  constructor(
    private readonly clock: Clock,
    policy: Partial<OverloadPolicy> = {},
    /** false: never sheds (SWITCHBOARD_OVERLOAD_LAG_MS=0); the queue cap still holds. */
    private readonly enabled = true,
  ) {
    this.governor = new OverloadGovernor({ ...DEFAULT_OVERLOAD_POLICY, ...policy }, clock.now());
  }

  start() {
    if (!this.enabled || this.timer) return;
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.timer = setInterval(() => {
      const h = this.histogram!;
      // The histogram's floor is its resolution; only what is beyond it is delay.
      const lagMs = h.count > 0 ? Math.max(0, h.percentile(99) / 1e6 - 10) : 0;
      h.reset();
      const sojournMs = p99(this.sojourns);
      this.sojourns = [];
      const wasLimited = this.governor.state().limitPerSecond !== null;
      this.governor.observe(this.clock.now(), lagMs, sojournMs);
      const st = this.governor.state();
      const why = { loopDelayP99Ms: Math.round(lagMs), submitSojournP99Ms: Math.round(sojournMs) };
      if (!wasLimited && st.limitPerSecond !== null) log.warn("overloaded: shedding new submissions", { ...why, admitPerSecond: Math.round(st.limitPerSecond) });
      else if (wasLimited && st.limitPerSecond === null) log.info("load shedding ended", { shedSoFar: st.shed });
      else if (st.limitPerSecond !== null) log.debug("shedding", { ...why, admitPerSecond: Math.round(st.limitPerSecond), shed: st.shed });
    }, SAMPLE_MS);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.histogram?.disable();
    this.timer = null;
  }

  /** An accepted submission was answered `ms` after it arrived. */
  submissionAnswered(ms: number) {
    if (this.enabled && this.sojourns.length < 10_000) this.sojourns.push(ms);
  }

  /** Takes `count` new tasks or throws OverloadError; `unfinished` is what the server holds now. */
  admitTasks(count: number, unfinished: number) {
    this.refuseUnless(this.governor.admit(this.clock.now(), count, unfinished));
  }

  /** The edge's cheap question, before a submission's body is read. */
  admitsMore() {
    this.refuseUnless(this.governor.wouldAdmit(this.clock.now()));
  }

  private refuseUnless(v: AdmitVerdict) {
    if (!v.ok) throw new OverloadError(v.retryAfterMs, v.reason);
  }
}
