// Runs the `switchboard` CLI as a real child process for tests, asynchronously: a synchronous
// exec would block the test process — and every in-process SDK agent in it, which then misses
// its heartbeats (300 ms in tests) while `tsx` starts the CLI (seconds on 2 cores).
import { execFile } from "node:child_process";
import path from "node:path";
import { ROOT } from "./server-process";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = path.join(ROOT, "agent", "bin", "switchboard.mjs");

/** `switchboard <args>`; resolves with the exit code and output (it does not throw on failure). */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, encoding: "utf8", timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Like runCli, but fails the test with the CLI's stderr when it exits non-zero. */
export async function cliOk(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<string> {
  const r = await runCli(args, options);
  if (r.code !== 0) throw new Error(`switchboard ${args.join(" ")} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
