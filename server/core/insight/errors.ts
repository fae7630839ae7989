// Error analysis: failed attempts grouped by fingerprint (fingerprint.ts), each group with its
// counts and status, and the signals that point at a likely cause — computed from the
// occurrences, never guessed. Pure: the coordinator feeds it failures and stores what changes.
import { fingerprint, groupTitle } from "./fingerprint";

/** An error group as stored (server/store keeps these rows). */
export interface ErrorGroupRow {
  id: string;
  title: string;
  sample: string;
  sampleLog: { stream: string; line: string }[];
  firstSeen: number;
  lastSeen: number;
  count: number;
  status: "open" | "resolved" | "ignored";
  statusBy: string | null;
  statusAt: number | null;
  reopenedAt: number | null;
}

export interface ErrorOccurrenceRow {
  groupId: string;
  taskId: string;
  attempt: number;
  at: number;
  agentId: string | null;
  agentName: string | null;
  agentVersion: string | null;
  capability: string | null;
  template: string | null;
  labels: string[];
  /** The agent's CPU and memory at the time, % of its machine. */
  cpuPct: number | null;
  memPct: number | null;
  message: string;
}

export interface FailureFact {
  taskId: string;
  attempt: number;
  at: number;
  error: string;
  lastLines: readonly { stream: string; line: string }[];
  agentId: string | null;
  agentName: string | null;
  agentVersion: string | null;
  capability: string | null;
  template: string | null;
  labels: readonly string[];
  cpuPct: number | null;
  memPct: number | null;
}

export type ErrorEventKind = "error_group_new" | "error_group_reopened" | "error_group_spike";

export interface ErrorEvent {
  kind: ErrorEventKind;
  groupId: string;
  title: string;
  at: number;
  message: string;
}

/** Failures in one slot that make a spike: at least `min`, and `factor` × the usual rate. */
export interface SpikeRule {
  slotMs: number;
  min: number;
  factor: number;
  /** How many earlier slots form the usual rate (24 h of 10-minute slots). */
  history: number;
}

export const DEFAULT_SPIKE: SpikeRule = { slotMs: 10 * 60_000, min: 10, factor: 5, history: 144 };

/** Slot counts of one group since this process began watching it (not stored: a baseline). */
class SlotCounts {
  private counts = new Map<number, number>();
  private firstSlot: number | null = null;

  add(slot: number): number {
    this.firstSlot ??= slot;
    const n = (this.counts.get(slot) ?? 0) + 1;
    this.counts.set(slot, n);
    if (this.counts.size > 200) for (const k of [...this.counts.keys()].sort((a, b) => a - b).slice(0, 50)) this.counts.delete(k);
    return n;
  }

  /** Mean count per slot over the `history` slots before `slot` that were watched; null if too few. */
  baseline(slot: number, history: number): number | null {
    if (this.firstSlot == null) return null;
    const from = Math.max(this.firstSlot, slot - history);
    const slots = slot - from;
    if (slots < 6) return null;
    let sum = 0;
    for (let s = from; s < slot; s++) sum += this.counts.get(s) ?? 0;
    return sum / slots;
  }
}

export class ErrorBook {
  private groups = new Map<string, ErrorGroupRow>();
  private slots = new Map<string, SlotCounts>();
  private spiked = new Map<string, number>();
  private changed = new Set<string>();

  constructor(
    groups: readonly ErrorGroupRow[],
    private readonly spike: SpikeRule = DEFAULT_SPIKE,
  ) {
    for (const g of groups) this.groups.set(g.id, { ...g });
  }

  get(id: string): Readonly<ErrorGroupRow> | undefined {
    return this.groups.get(id);
  }

  all(): readonly Readonly<ErrorGroupRow>[] {
    return [...this.groups.values()];
  }

  /** Counts one failure into its group; says what about it is news (a new group, a regression, a spike). */
  observe(f: FailureFact): { occurrence: ErrorOccurrenceRow; events: ErrorEvent[] } {
    const id = fingerprint(f.error, f.lastLines);
    const events: ErrorEvent[] = [];
    let g = this.groups.get(id);
    const where = f.agentName ? ` on ${f.agentName}` : "";
    if (!g) {
      g = {
        id,
        title: groupTitle(f.error),
        sample: f.error.slice(0, 4_000),
        sampleLog: f.lastLines.slice(-5).map((l) => ({ stream: l.stream, line: l.line.slice(0, 500) })),
        firstSeen: f.at,
        lastSeen: f.at,
        count: 0,
        status: "open",
        statusBy: null,
        statusAt: null,
        reopenedAt: null,
      };
      this.groups.set(id, g);
      events.push({ kind: "error_group_new", groupId: id, title: g.title, at: f.at, message: `new error${where}: ${g.title}` });
    } else if (g.status === "resolved") {
      g.status = "open";
      g.reopenedAt = f.at;
      events.push({ kind: "error_group_reopened", groupId: id, title: g.title, at: f.at, message: `resolved error came back${where}: ${g.title}` });
    }
    g.count++;
    g.lastSeen = Math.max(g.lastSeen, f.at);
    // The latest occurrence is the sample: it shows what the group looks like now.
    g.sample = f.error.slice(0, 4_000);
    g.sampleLog = f.lastLines.slice(-5).map((l) => ({ stream: l.stream, line: l.line.slice(0, 500) }));
    this.changed.add(id);
    const spike = this.countSlot(id, f.at);
    if (spike && g.status !== "ignored") events.push({ ...spike, title: g.title });
    return {
      occurrence: {
        groupId: id,
        taskId: f.taskId,
        attempt: f.attempt,
        at: f.at,
        agentId: f.agentId,
        agentName: f.agentName,
        agentVersion: f.agentVersion,
        capability: f.capability,
        template: f.template,
        labels: [...f.labels],
        cpuPct: f.cpuPct,
        memPct: f.memPct,
        message: f.error.slice(0, 2_000),
      },
      events,
    };
  }

  private countSlot(id: string, at: number): Omit<ErrorEvent, "title"> | null {
    const slot = Math.floor(at / this.spike.slotMs);
    let c = this.slots.get(id);
    if (!c) this.slots.set(id, (c = new SlotCounts()));
    const n = c.add(slot);
    if (n < this.spike.min || this.spiked.get(id) === slot) return null;
    const usual = c.baseline(slot, this.spike.history);
    if (usual == null || n < this.spike.factor * Math.max(usual, 0.5)) return null;
    this.spiked.set(id, slot);
    const minutes = Math.round(this.spike.slotMs / 60_000);
    return { kind: "error_group_spike", groupId: id, at, message: `${n} failures in ${minutes} min, usually ${usual.toFixed(1)}` };
  }

  /** An operator resolves, ignores or reopens a group. */
  setStatus(id: string, status: ErrorGroupRow["status"], by: string, at: number): ErrorGroupRow | null {
    const g = this.groups.get(id);
    if (!g) return null;
    g.status = status;
    g.statusBy = by;
    g.statusAt = at;
    if (status !== "open") g.reopenedAt = null;
    this.changed.add(id);
    return { ...g };
  }

  /** Groups changed since the last call, as they are now. */
  drainChanged(): ErrorGroupRow[] {
    const out = [...this.changed].map((id) => ({ ...this.groups.get(id)! }));
    this.changed.clear();
    return out;
  }

  /** Drops groups last seen before `before` (their rows are pruned by retention). */
  forgetBefore(before: number) {
    for (const [id, g] of this.groups) if (g.lastSeen < before) this.groups.delete(id);
  }
}

// ---- Likely causes ------------------------------------------------------------------------

export interface CauseSignal {
  kind: "concentrated" | "after_change" | "high_resources";
  message: string;
  /** Share of the group's occurrences the signal covers, 0..1. */
  share: number;
}

export interface CauseContext {
  /** Share of all attempts in the same period each agent ran (by name): is 90 % on b-3 unusual? */
  agentShare?: ReadonlyMap<string, number>;
  /** Share of the fleet's agents on each version: 100 % on the version every agent runs says nothing. */
  versionShare?: ReadonlyMap<string, number>;
  /** Template versions with when they were published, `name@version`. */
  templateVersions?: readonly { template: string; createdAt: number }[];
  /** When agents changed version. */
  agentVersionChanges?: readonly { agentName: string; from: string; to: string; at: number }[];
  /** A group that began within this long after a change is signalled. */
  changeWindowMs?: number;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

function topShare(values: (string | null)[]): { value: string; share: number } | null {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    if (v == null || v === "") continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n++;
  }
  if (n === 0) return null;
  let best: [string, number] | null = null;
  for (const e of counts) if (!best || e[1] > best[1]) best = e;
  return { value: best![0], share: best![1] / values.length };
}

/**
 * Signals for one group's occurrences: concentration (≥ 80 % on one agent, label, version or
 * template version, where that is unusual), a start right after a version change, and
 * failures that came with high CPU or memory on the agent.
 */
export function likelyCauses(occ: readonly ErrorOccurrenceRow[], firstSeen: number, ctx: CauseContext = {}, threshold = 0.8): CauseSignal[] {
  const out: CauseSignal[] = [];
  if (occ.length < 3) return out;
  const agent = topShare(occ.map((o) => o.agentName));
  const usual = agent ? ctx.agentShare?.get(agent.value) : undefined;
  // Not a signal when that agent does most of all the work anyway (a fleet of one).
  if (agent && agent.share >= threshold && !(usual !== undefined && usual >= 0.6)) {
    const also = usual !== undefined ? ` (it runs ${pct(usual)} of that work)` : "";
    out.push({ kind: "concentrated", share: agent.share, message: `${pct(agent.share)} on agent ${agent.value}${also}` });
  }
  const labelCounts = new Map<string, number>();
  for (const o of occ) for (const l of new Set(o.labels)) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);
  // A label every occurrence's agent has is only interesting if it is not simply the agent.
  if (!(agent && agent.share >= threshold)) {
    for (const [l, n] of [...labelCounts].sort((a, b) => b[1] - a[1]).slice(0, 1)) {
      if (n / occ.length >= threshold) out.push({ kind: "concentrated", share: n / occ.length, message: `${pct(n / occ.length)} on agents labelled ${l}` });
    }
  }
  const version = topShare(occ.map((o) => (o.agentVersion ? o.agentVersion : null)));
  if (version && version.share >= threshold && (ctx.versionShare?.get(version.value) ?? 1) < 0.6) out.push({ kind: "concentrated", share: version.share, message: `${pct(version.share)} on agent version ${version.value}` });
  const template = topShare(occ.map((o) => o.template));
  const templateVersionsKnown = template ? (ctx.templateVersions ?? []).filter((t) => t.template.split("@")[0] === template.value.split("@")[0]).length : 0;
  if (template && template.share >= threshold && templateVersionsKnown > 1) out.push({ kind: "concentrated", share: template.share, message: `${pct(template.share)} in template ${template.value}` });

  const window = ctx.changeWindowMs ?? 3_600_000;
  if (template) {
    const published = ctx.templateVersions?.find((t) => t.template === template.value);
    const [, v] = template.value.split("@");
    if (published && Number(v) > 1 && firstSeen >= published.createdAt && firstSeen - published.createdAt <= window) {
      out.push({ kind: "after_change", share: template.share, message: `began ${minutesText(firstSeen - published.createdAt)} after ${template.value} was published` });
    }
  }
  if (agent) {
    const change = [...(ctx.agentVersionChanges ?? [])].reverse().find((c) => c.agentName === agent.value && c.at <= firstSeen && firstSeen - c.at <= window);
    if (change) out.push({ kind: "after_change", share: agent.share, message: `began ${minutesText(firstSeen - change.at)} after ${agent.value} changed version ${change.from || "(none)"} → ${change.to}` });
  }

  const measured = occ.filter((o) => o.cpuPct != null || o.memPct != null);
  if (measured.length >= 3) {
    const hot = measured.filter((o) => (o.cpuPct ?? 0) >= 90 || (o.memPct ?? 0) >= 90);
    const cpuHot = measured.filter((o) => (o.cpuPct ?? 0) >= 90).length;
    if (hot.length / measured.length >= 0.6) {
      const what = cpuHot >= hot.length / 2 ? "CPU" : "memory";
      out.push({ kind: "high_resources", share: hot.length / occ.length, message: `${pct(hot.length / measured.length)} came with ${what} ≥ 90 % on the agent` });
    }
  }
  return out;
}

function minutesText(ms: number) {
  const m = Math.round(ms / 60_000);
  return m < 1 ? "under a minute" : m === 1 ? "1 min" : `${m} min`;
}

/** Occurrences per slot over [from, to): a group's trend. */
export function trendOf(occ: readonly { at: number }[], from: number, to: number, slots: number): number[] {
  const size = (to - from) / slots;
  const out = new Array<number>(slots).fill(0);
  for (const o of occ) {
    if (o.at < from || o.at >= to) continue;
    out[Math.min(slots - 1, Math.floor((o.at - from) / size))]++;
  }
  return out;
}
