// Pure parsing of Linux /proc files and the CPU arithmetic on top of them. The reading of
// /proc lives in process-tree-sampler.ts; this half is kept free of I/O so it can be tested
// with captured file contents.

export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime of the process itself, in clock ticks. Children's cutime/cstime are
   * left out: they are added to a parent only once it reaps them, which would count the
   * same work twice when parent and child are both in the sampled set. */
  cpuTicks: number;
  /** Start time in ticks since boot; with the pid it identifies a process across samples,
   * because pids are reused. */
  startTicks: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat. The command name is in parentheses and may itself contain
 * spaces and ')', so fields are counted from the last ')'. Returns null for malformed text. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // Fields after the name, 0-based: 0 state, 1 ppid, 2 pgrp, 11 utime, 12 stime, 19 starttime, 21 rss.
  const fields = text.slice(close + 1).trim().split(/\s+/);
  if (fields.length < 22) return null;
  const num = (i: number) => Number(fields[i]);
  const stat = {
    pid,
    ppid: num(1),
    pgrp: num(2),
    cpuTicks: num(11) + num(12),
    startTicks: num(19),
    rssPages: num(21),
  };
  return Object.values(stat).every(Number.isFinite) ? stat : null;
}

/** Resident memory in kB from /proc/<pid>/status (VmRSS), or null for kernel threads and zombies. */
export function parseVmRssKb(statusText: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return m ? Number(m[1]) : null;
}

/** Every pid in `stats` that is `rootPid`, descends from it, or is in one of `groups`.
 * Process groups matter because a task's grandchildren are re-parented to init when their
 * parent exits, but they stay in the group the runner created for the task. */
export function selectProcessTree(stats: readonly ProcStat[], rootPid: number, groups: ReadonlySet<number>): ProcStat[] {
  const childrenOf = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = childrenOf.get(s.ppid) ?? [];
    list.push(s);
    childrenOf.set(s.ppid, list);
  }
  const selected = new Map<number, ProcStat>();
  const visit = (s: ProcStat) => {
    if (selected.has(s.pid)) return;
    selected.set(s.pid, s);
    for (const child of childrenOf.get(s.pid) ?? []) visit(child);
  };
  for (const s of stats) if (s.pid === rootPid || groups.has(s.pgrp)) visit(s);
  return [...selected.values()];
}

export interface CpuSample {
  atMs: number;
  /** CPU ticks per process, keyed by `pid:startTicks`. */
  ticks: ReadonlyMap<string, number>;
}

export const processKey = (s: Pick<ProcStat, "pid" | "startTicks">) => `${s.pid}:${s.startTicks}`;

export function cpuSample(atMs: number, stats: readonly ProcStat[]): CpuSample {
  return { atMs, ticks: new Map(stats.map((s) => [processKey(s), s.cpuTicks])) };
}

/**
 * CPU use between two samples as percent of one core (200 = two busy cores).
 * A process seen only in `next` started during the interval, so all its ticks count; a
 * process gone by `next` exited, and its last partial interval is lost — a small
 * undercount we accept rather than tracking exits.
 */
export function cpuPercent(prev: CpuSample, next: CpuSample, ticksPerSecond: number): number {
  const seconds = (next.atMs - prev.atMs) / 1000;
  if (seconds <= 0) return 0;
  let ticks = 0;
  for (const [key, now] of next.ticks) ticks += Math.max(0, now - (prev.ticks.get(key) ?? 0));
  return (ticks / ticksPerSecond / seconds) * 100;
}
