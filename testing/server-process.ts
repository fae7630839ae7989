// Starts the real Switchboard server as a child process on a random port with its own data
// directory, for integration tests, e2e and benchmarks. Everything it starts is stopped by
// stop(), and a process-exit hook kills stragglers if a test dies first.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export interface ServerHandle {
  url: string;
  port: number;
  dataDir: string;
  password: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; SIGKILL with `hard`. */
  stop(hard?: boolean): Promise<void>;
  /** Same data directory, new process (port may be fixed via `port`). */
  restart(): Promise<ServerHandle>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  dataDir?: string;
  port?: number;
  ui?: boolean;
  /** Extra flags for node, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export async function startServerProcess(opts: ServerOptions = {}): Promise<ServerHandle> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sb-test-"));
  const password = "test-password-123";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: opts.ui ? "production" : "test",
    PORT: String(opts.port ?? 0),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(dataDir, "switchboard.db")}`,
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_ADMIN_PASSWORD: password,
    SWITCHBOARD_NO_UI: opts.ui ? "0" : "1",
    SWITCHBOARD_HEARTBEAT_MS: "300",
    SWITCHBOARD_LEASE_TTL_MS: "1500",
    ...opts.env,
  };
  // `node --import tsx` rather than the tsx CLI: one process, so a SIGKILL really kills the server.
  const args = [...(opts.nodeArgs ?? []), "--import", "tsx", path.join(ROOT, "server", "index.ts")];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  // Generous: on a loaded 2-core machine the first migration alone has taken 26 s. A server that
  // does not start in time is killed, never left listening behind a failed test.
  const startMs = Number(process.env.SB_TEST_START_TIMEOUT_MS ?? 90_000);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      live.delete(proc);
      reject(new Error(`server did not start in ${startMs / 1000} s:\n${out}`));
    }, startMs);
    const check = () => {
      const m = /Switchboard is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on("data", check);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const port = Number(new URL(url).port);
  const handle: ServerHandle = {
    url,
    port,
    dataDir,
    password,
    proc,
    output: () => out,
    stop: async (hard = false) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill(hard ? "SIGKILL" : "SIGTERM");
      await exited;
      live.delete(proc);
    },
    restart: () => startServerProcess({ ...opts, dataDir, port }),
  };
  return handle;
}

/** Logs in as the bootstrap admin and returns the session cookie. */
export async function adminCookie(server: ServerHandle): Promise<string> {
  const r = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: server.password }),
  });
  if (!r.ok) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return r.headers.get("set-cookie")!.split(";")[0];
}

export async function createToken(
  server: ServerHandle,
  name = "test",
  scope: "agent" | "submit" | "read" | "admin" = "agent",
  options: { canSubmit?: boolean } = {},
): Promise<string> {
  const cookie = await adminCookie(server);
  const r = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: server.url },
    body: JSON.stringify({ name, scope, ...options }),
  });
  if (r.status !== 201) throw new Error(`token create failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { secret: string }).secret;
}

/** Polls `fn` until it returns a truthy value or the deadline passes (waits on state, never a fixed sleep). */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
