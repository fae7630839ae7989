// Starts real `switchboard agent` processes (the CLI runner) for integration tests and the demo.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./server-process";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export interface AgentHandle {
  name: string;
  proc: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startAgentProcess(opts: {
  server: string;
  token: string;
  name: string;
  capabilities?: string[];
  labels?: string[];
  slots?: number;
  template?: string[];
  extraArgs?: string[];
  env?: Record<string, string>;
}): AgentHandle {
  const args = [
    path.join(ROOT, "agent", "bin", "switchboard.mjs"),
    "agent",
    "--server", opts.server,
    "--token", opts.token,
    "--name", opts.name,
    "--slots", String(opts.slots ?? 1),
    ...(opts.capabilities ?? []).flatMap((c) => ["--capability", c]),
    ...(opts.labels ?? []).flatMap((l) => ["--label", l]),
    ...(opts.extraArgs ?? []),
    ...(opts.template ? ["--", ...opts.template] : []),
  ];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  return {
    name: opts.name,
    proc,
    output: () => out,
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      proc.kill(signal);
      const code = await exited;
      live.delete(proc);
      return code;
    },
  };
}
