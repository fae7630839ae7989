// Rollups: what happened, counted as it happens, per minute, hour and day and per dimension —
// the fleet as a whole, each capability, each template version, each agent, each agent label.
// Every counter is a sum (histograms too, bucket by bucket), so adding the rows of two minutes
// gives the row of both, and an hour is the sum of its minutes: storage can add increments
// blindly (INSERT … ON CONFLICT … SET x = x + excluded.x) and queries can add rows.
import type { Histogram } from "./histogram";
import { emptyHistogram, mergeInto, observe } from "./histogram";

export type Granularity = "minute" | "hour" | "day";
export const GRANULARITIES: readonly Granularity[] = ["minute", "hour", "day"];
const SIZE_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The dimensions a fact is counted under. `all` has the one key `*`; `agent_capability` is
 * `<agent>/<capability>`, for "this agent is slow at this kind of work"; `error` is an error
 * group's fingerprint, whose `failed` counts its occurrences (exact counts and trends however
 * many occurrences there are).
 */
export type Dimension = "all" | "capability" | "template" | "agent" | "label" | "agent_capability" | "error";
export const DIMENSIONS: readonly Dimension[] = ["all", "capability", "template", "agent", "label", "agent_capability", "error"];

export interface Counters {
  /** Tasks submitted (demand). */
  submitted: number;
  /** Attempts started, and the queue wait before each. */
  started: number;
  queueWaitMs: number;
  queueWait: Histogram;
  /** Tasks that ended, by how. */
  succeeded: number;
  failed: number;
  dead: number;
  canceled: number;
  /** Attempts that failed and were retried. */
  retries: number;
  /** Run time of attempts that ran to an end (succeeded or failed). */
  ran: number;
  runTimeMs: number;
  runTime: Histogram;
  /** Slot-milliseconds held by running attempts, and offered by connected agents. */
  busyMs: number;
  availMs: number;
  /** Resource samples (CPU % of one core, MB), summed with their count. */
  cpuSum: number;
  memSum: number;
  samples: number;
}

export const COUNTER_FIELDS = ["submitted", "started", "queueWaitMs", "succeeded", "failed", "dead", "canceled", "retries", "ran", "runTimeMs", "busyMs", "availMs", "cpuSum", "memSum", "samples"] as const;

/** Empty histograms shared by counters read without them (frozen: adding into one throws). */
const NO_HISTOGRAM: Histogram = Object.freeze(emptyHistogram()) as Histogram;

/** Counters whose histograms are left empty (reads that need only counts and slot time): no arrays to allocate. */
export function scalarCounters(): Counters {
  return countersWith(NO_HISTOGRAM, NO_HISTOGRAM);
}

export function emptyCounters(): Counters {
  return countersWith(emptyHistogram(), emptyHistogram());
}

function countersWith(queueWait: Histogram, runTime: Histogram): Counters {
  return {
    submitted: 0,
    started: 0,
    queueWaitMs: 0,
    queueWait,
    succeeded: 0,
    failed: 0,
    dead: 0,
    canceled: 0,
    retries: 0,
    ran: 0,
    runTimeMs: 0,
    runTime,
    busyMs: 0,
    availMs: 0,
    cpuSum: 0,
    memSum: 0,
    samples: 0,
  };
}

export function addCounters(into: Counters, from: Counters): Counters {
  for (const f of COUNTER_FIELDS) into[f] += from[f];
  mergeInto(into.queueWait, from.queueWait);
  mergeInto(into.runTime, from.runTime);
  return into;
}

/** Adds the scalar fields only (for counters read without histograms). */
export function addScalars(into: Counters, from: Counters): Counters {
  for (const f of COUNTER_FIELDS) into[f] += from[f];
  return into;
}

export const finishedOf = (c: Counters) => c.succeeded + c.failed + c.dead + c.canceled;

/** The start of the bucket `at` falls in. Days are UTC days. */
export function bucketStart(at: number, g: Granularity): number {
  return Math.floor(at / SIZE_MS[g]) * SIZE_MS[g];
}

export const bucketSize = (g: Granularity) => SIZE_MS[g];

export interface RollupKey {
  granularity: Granularity;
  bucket: number;
  dim: Dimension;
  key: string;
}

export const keyString = (k: RollupKey) => `${k.granularity}|${k.bucket}|${k.dim}|${k.key}`;

export function parseKey(s: string): RollupKey {
  const [granularity, bucket, dim, ...rest] = s.split("|");
  return { granularity: granularity as Granularity, bucket: Number(bucket), dim: dim as Dimension, key: rest.join("|") };
}

/** Where a fact about a task belongs: the dimensions it is counted under. */
export interface FactScope {
  capabilities: readonly string[];
  /** `name@version` of the workflow template whose step the task is, if any. */
  template: string | null;
  /**
   * The agent's name: names are how people know agents, they survive an agent being forgotten
   * and re-registered, and a re-attached agent keeps its name.
   */
  agent: string | null;
  /** The agent's labels (or, before any agent, the task's selector), as `key=value`. */
  labels: readonly string[];
}

export function dimensionsOf(scope: FactScope): [Dimension, string][] {
  const out: [Dimension, string][] = [["all", "*"]];
  const caps = scope.capabilities.length ? scope.capabilities : ["(none)"];
  for (const c of caps) out.push(["capability", c]);
  if (scope.template) out.push(["template", scope.template]);
  if (scope.agent) {
    out.push(["agent", scope.agent]);
    for (const c of caps) out.push(["agent_capability", `${scope.agent}/${c}`]);
  }
  for (const l of scope.labels) out.push(["label", l]);
  return out;
}

/**
 * Increments not yet written, keyed by (bucket, dimension, key). One fact updates its minute
 * row in every dimension; many facts share rows; the hour and day rows are the minutes added
 * up when the increments are taken (a third of the work per fact).
 */
export class RollupBuffer {
  private rows = new Map<string, Counters>();
  /**
   * Readings every connected agent adds all the time (offered slot time, resource samples):
   * kept until their minute is over, then drained once. Drained with the rest at every flush,
   * a fleet of 2,000 rewrote ~18,000 rows (its agents' minute, hour and day rows) every few
   * seconds; this way each is written once a minute. Reads see them meanwhile (peek).
   */
  private slowRows = new Map<string, Counters>();

  private row(k: RollupKey, apply: (c: Counters) => void, slow = false) {
    const rows = slow ? this.slowRows : this.rows;
    const s = keyString(k);
    let c = rows.get(s);
    if (!c) rows.set(s, (c = emptyCounters()));
    apply(c);
  }

  private add(at: number, scope: FactScope, apply: (c: Counters) => void, slow = false) {
    for (const [dim, key] of dimensionsOf(scope)) {
      this.row({ granularity: "minute", bucket: bucketStart(at, "minute"), dim, key }, apply, slow);
    }
  }

  submitted(at: number, scope: FactScope) {
    this.add(at, scope, (c) => void c.submitted++);
  }

  started(at: number, scope: FactScope, waitMs: number) {
    const w = Math.max(0, waitMs);
    this.add(at, scope, (c) => {
      c.started++;
      c.queueWaitMs += w;
      observe(c.queueWait, w);
    });
  }

  /**
   * An attempt ended after running `runMs`; `busyMs` of it not yet accrued as busy. Run time
   * counts only for attempts that ran to a verdict (succeeded or failed).
   */
  attemptEnded(at: number, scope: FactScope, runMs: number, counted: boolean, busyMs: number) {
    const r = Math.max(0, runMs);
    const b = Math.max(0, busyMs);
    this.add(at, scope, (c) => {
      c.busyMs += b;
      if (counted) {
        c.ran++;
        c.runTimeMs += r;
        observe(c.runTime, r);
      }
    });
  }

  /** Slot time held by a running attempt. */
  busy(at: number, scope: FactScope, ms: number) {
    if (ms <= 0) return;
    this.add(at, scope, (c) => void (c.busyMs += ms));
  }

  retried(at: number, scope: FactScope) {
    this.add(at, scope, (c) => void c.retries++);
  }

  ended(at: number, scope: FactScope, status: "succeeded" | "failed" | "dead" | "canceled") {
    this.add(at, scope, (c) => void c[status]++);
  }

  /** Connected agents offer their slots: `slots × ms` of capacity. */
  available(at: number, scope: FactScope, slotMs: number) {
    if (slotMs <= 0) return;
    this.add(at, scope, (c) => void (c.availMs += slotMs), true);
  }

  /** A resource sample of one agent (by name): counted for the fleet and for the agent. */
  sample(at: number, agent: string, cpu: number, memoryMb: number) {
    const apply = (c: Counters) => {
      c.cpuSum += cpu;
      c.memSum += memoryMb;
      c.samples++;
    };
    for (const [dim, key] of [["all", "*"], ["agent", agent]] as const) {
      this.row({ granularity: "minute", bucket: bucketStart(at, "minute"), dim, key }, apply, true);
    }
  }

  /** One occurrence of an error group. */
  errorOccurred(at: number, groupId: string) {
    this.row({ granularity: "minute", bucket: bucketStart(at, "minute"), dim: "error", key: groupId }, (c) => void c.failed++);
  }

  get size() {
    return this.rows.size + this.slowRows.size;
  }

  /**
   * The increments gathered so far, in every granularity (or only `only`'s), left in place
   * (minute rows are shared: read, do not change). A read names what it wants: a fleet of
   * 2,000 agents buffers thousands of per-agent and per-label rows that a per-capability
   * read would otherwise parse and sum into hours and days at every alert evaluation.
   */
  peek(only?: { granularity?: Granularity; dims?: readonly Dimension[] }): { key: RollupKey; counters: Counters }[] {
    return [...this.expand([this.rows, this.slowRows], only).values()];
  }

  private expand(sources: Iterable<Iterable<[string, Counters]>>, only?: { granularity?: Granularity; dims?: readonly Dimension[] }) {
    const out = new Map<string, { key: RollupKey; counters: Counters }>();
    const dims = only?.dims ? new Set(only.dims) : null;
    for (const rows of sources) {
      for (const [s, counters] of rows) {
        const key = parseKey(s);
        if (dims && !dims.has(key.dim)) continue;
        if (!only?.granularity || only.granularity === "minute") {
          const e = out.get(s);
          // The same minute in both maps: a sum of its own, never into a shared row.
          if (!e) out.set(s, { key, counters });
          else out.set(s, { key, counters: addCounters(addCounters(emptyCounters(), e.counters), counters) });
        }
        for (const g of GRANULARITIES) {
          if (g === "minute" || (only?.granularity && only.granularity !== g)) continue;
          const k = { ...key, granularity: g, bucket: bucketStart(key.bucket, g) };
          const ks = keyString(k);
          let e = out.get(ks);
          if (!e) out.set(ks, (e = { key: k, counters: emptyCounters() }));
          addCounters(e.counters, counters);
        }
      }
    }
    return out;
  }

  /**
   * Takes the increments gathered so far, in every granularity — of the slow readings only
   * the minutes that are over by `now` (all of them without `now`, as at stop).
   */
  drain(now?: number): { key: RollupKey; counters: Counters }[] {
    const open = now == null ? Infinity : bucketStart(now, "minute");
    const closed: [string, Counters][] = [];
    for (const [s, c] of this.slowRows) {
      if (parseKey(s).bucket < open) {
        closed.push([s, c]);
        this.slowRows.delete(s);
      }
    }
    const out = this.expand([this.rows, closed]);
    this.rows = new Map();
    return [...out.values()];
  }
}
