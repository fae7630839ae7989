// Starts and stops a `local` pool's agents: real `switchboard agent` processes on this machine.
// They are started detached, in their own process group, so they outlive a restart of the
// server — the next one adopts them by PID instead of starting a second set. Their output goes
// to <data dir>/pools/<agent>.log. The token travels in the environment, never on the command line.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { PoolRow } from "@/server/store/ports";
import { runnerArgv, type PoolAgentSpec } from "@/lib/pool-host-protocol";
import { RUNNER_BUNDLE, RUNNER_TSX, runnerEntry } from "./runner-bundle";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface Launched {
  pid: number;
  /** Resolves with the exit code (or signal) when the process ends; never for adopted ones. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

export interface Launcher {
  launch(pool: PoolRow, name: string, serverUrl: string): Launched;
  /** Asks it to stop: the runner drains (running tasks may finish for the pool's drain timeout). */
  stop(pid: number): void;
  alive(pid: number): boolean;
  /** Whether `pid` is still this agent's runner (not a process that got its PID since). */
  owns(pid: number, name: string): boolean;
}

/** A pool's agent, as the runner is started with it. */
export const specOf = (pool: PoolRow, name: string): PoolAgentSpec => ({ pool: pool.name, name, slots: pool.card.slots, capabilities: pool.card.capabilities, labels: pool.card.labels, template: pool.launch.template, env: pool.launch.env, drainTimeoutMs: pool.launch.drainTimeoutMs });

export function runnerArgs(pool: PoolRow, name: string, serverUrl: string): string[] {
  return [runnerEntry(), ...runnerArgv(specOf(pool, name), serverUrl)];
}

export function localLauncher(dataDir: string): Launcher {
  const logs = path.join(dataDir, "pools");
  return {
    launch(pool, name, serverUrl) {
      fs.mkdirSync(logs, { recursive: true });
      const out = fs.openSync(path.join(logs, `${name}.log`), "a");
      const child = spawn(process.execPath, runnerArgs(pool, name, serverUrl), {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", out, out],
        env: { ...process.env, ...pool.launch.env, SWITCHBOARD_TOKEN: pool.tokenSecret ?? "", SWITCHBOARD_POOL: pool.name },
      });
      fs.closeSync(out);
      child.unref();
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
      child.once("error", () => undefined);
      return { pid: child.pid ?? -1, exited };
    },
    stop(pid) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    },
    alive(pid) {
      if (pid <= 0) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
      }
    },
    owns(pid, name) {
      if (!this.alive(pid)) return false;
      try {
        // Linux: the runner's own argv. Elsewhere, being alive is all we can tell.
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return (argv.includes(RUNNER_BUNDLE) || argv.includes(RUNNER_TSX)) && argv[argv.indexOf("--name") + 1] === name;
      } catch {
        return process.platform !== "linux";
      }
    },
  };
}
