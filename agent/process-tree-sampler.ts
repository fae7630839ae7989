// Measures the runner and every task process tree for heartbeats, by reading /proc.
// Off Linux it falls back to the runner's own numbers from Node.

import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import type { Resources } from "../lib/protocol";
import { cpuPercent, cpuSample, parseProcStat, parseVmRssKb, selectProcessTree, type CpuSample, type ProcStat } from "./proc-stats";

// USER_HZ is 100 on every mainstream Linux build; Node cannot ask sysconf(_SC_CLK_TCK).
const TICKS_PER_SECOND = 100;
const PAGE_KB = 4;

export interface ResourceSampler {
  sample(): Promise<Resources>;
}

/** `groups()` returns the process group ids of the running tasks (each child leads its own group). */
export function createProcessTreeSampler(groups: () => Iterable<number>, now: () => number = Date.now): ResourceSampler {
  if (process.platform !== "linux") return createSelfSampler(now);
  let previous: CpuSample | undefined;
  return {
    async sample() {
      const tree = selectProcessTree(await readAllStats(), process.pid, new Set(groups()));
      const current = cpuSample(now(), tree);
      const cpu = previous ? cpuPercent(previous, current, TICKS_PER_SECOND) : undefined;
      previous = current;
      const rssKb = await Promise.all(tree.map(readRssKb));
      return { ...hostResources(), cpu: cpu === undefined ? undefined : round1(cpu), memoryMb: round1(rssKb.reduce((a, b) => a + b, 0) / 1024) };
    },
  };
}

/** The process's own CPU and RSS from Node; the SDK's default when no sampler is given. */
export function createSelfSampler(now: () => number = Date.now): ResourceSampler {
  let previous = { atMs: now(), usage: process.cpuUsage() };
  return {
    async sample() {
      const current = { atMs: now(), usage: process.cpuUsage() };
      const micros = current.usage.user - previous.usage.user + current.usage.system - previous.usage.system;
      const elapsedMs = current.atMs - previous.atMs;
      previous = current;
      const cpu = elapsedMs > 0 ? micros / 10 / elapsedMs : 0;
      return { ...hostResources(), cpu: round1(cpu), memoryMb: round1(process.memoryUsage.rss() / 2 ** 20) };
    },
  };
}

function hostResources(): Resources {
  return { memoryTotalMb: Math.round(os.totalmem() / 2 ** 20), cpuCount: Math.max(1, os.cpus().length) };
}

async function readAllStats(): Promise<ProcStat[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  // Processes exit between readdir and readFile; a missing file just means one less process.
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, "utf8").then(parseProcStat, () => null)));
  return stats.filter((s): s is ProcStat => s !== null);
}

async function readRssKb(stat: ProcStat): Promise<number> {
  const status = await readFile(`/proc/${stat.pid}/status`, "utf8").catch(() => "");
  return parseVmRssKb(status) ?? stat.rssPages * PAGE_KB;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
