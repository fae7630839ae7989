import { describe, expect, it } from "vitest";
import { cpuPercent, cpuSample, parseProcStat, parseVmRssKb, selectProcessTree, type ProcStat } from "./proc-stats";

// Captured from a real /proc/<pid>/stat, with a command name containing ") (" to check the parser.
const STAT =
  "4242 (my) (weird cmd) S 100 4242 4242 0 -1 4194560 1500 0 0 0 250 50 7 3 20 0 4 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

describe("[proc stats]", () => {
  it("parses a stat line, counting fields from the last parenthesis", () => {
    expect(parseProcStat(STAT)).toEqual({ pid: 4242, ppid: 100, pgrp: 4242, cpuTicks: 300, startTicks: 123456, rssPages: 2048 });
  });

  it("returns null for truncated or malformed text", () => {
    expect(parseProcStat("")).toBeNull();
    expect(parseProcStat("12 (x) S 1 2 3")).toBeNull();
    expect(parseProcStat(STAT.replace("250", "abc"))).toBeNull();
  });

  it("reads VmRSS from status, null when absent", () => {
    expect(parseVmRssKb("Name:\tnode\nVmPeak:\t  9 kB\nVmRSS:\t   51234 kB\nThreads:\t11\n")).toBe(51234);
    expect(parseVmRssKb("Name:\tkthreadd\nThreads:\t1\n")).toBeNull();
  });

  const proc = (pid: number, ppid: number, pgrp = pid, cpuTicks = 0, startTicks = pid): ProcStat => ({ pid, ppid, pgrp, cpuTicks, startTicks, rssPages: 0 });

  it("selects the root, its descendants and orphans still in a task's group", () => {
    const stats = [
      proc(1, 0),
      proc(10, 1), // the runner
      proc(20, 10), // task child, its own group
      proc(21, 20, 20), // grandchild
      proc(30, 1, 20), // orphan re-parented to init, still in group 20
      proc(31, 30, 31), // its child in another group: reached through the tree
      proc(40, 1), // unrelated
    ];
    const pids = selectProcessTree(stats, 10, new Set([20])).map((s) => s.pid).sort((a, b) => a - b);
    expect(pids).toEqual([10, 20, 21, 30, 31]);
  });

  it("computes CPU percent of one core from tick deltas", () => {
    const before = cpuSample(0, [proc(10, 1, 10, 1_000), proc(20, 10, 20, 50)]);
    // 2 s later at 100 ticks/s: runner used 20 ticks (10%), child 300 ticks (150%).
    const after = cpuSample(2_000, [proc(10, 1, 10, 1_020), proc(20, 10, 20, 350)]);
    expect(cpuPercent(before, after, 100)).toBeCloseTo(160);
  });

  it("counts all ticks of processes that started between samples and ignores exited ones", () => {
    const before = cpuSample(0, [proc(10, 1, 10, 100), proc(20, 10, 20, 500)]);
    const after = cpuSample(1_000, [proc(10, 1, 10, 110), proc(30, 10, 30, 40)]);
    expect(cpuPercent(before, after, 100)).toBeCloseTo(50);
  });

  it("treats a reused pid as a new process", () => {
    const before = cpuSample(0, [proc(20, 10, 20, 900, 1)]);
    const after = cpuSample(1_000, [proc(20, 10, 20, 30, 2)]);
    expect(cpuPercent(before, after, 100)).toBeCloseTo(30);
  });

  it("returns 0 for a zero-length interval", () => {
    const s = cpuSample(5, [proc(1, 0, 1, 10)]);
    expect(cpuPercent(s, s, 100)).toBe(0);
  });
});
