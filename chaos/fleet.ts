// The process manager: the real server and the real `switchboard agent` runner processes the
// chaos is done to. It knows which exits it caused (kills, restarts) so that any other exit is
// reported as a product failure, and it cleans up everything it started — on success, on a
// failed check, on an exception and on Ctrl-C — including the task processes (detached process
// groups) that runners leave behind when they are SIGKILLed.
import fs from "node:fs";
import path from "node:path";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { startServerProcess, type ServerHandle, type ServerOptions } from "@/testing/server-process";

export interface Runner {
  name: string;
  handle: AgentHandle;
  pid: number;
  viaProxy: boolean;
  /** Set once the harness killed it (or is about to): its exit is expected. */
  killed: boolean;
  stopped: boolean;
  startedAt: number;
}

export interface UnexpectedExit {
  what: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
  tail: string;
}

/** Every pid under `root` (children, grandchildren…), from /proc; empty where /proc is missing. */
export function descendants(root: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid …; comm may contain spaces and parentheses, so parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* the process went away meanwhile */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to recognise it later despite pid reuse. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

const tail = (s: string, lines = 15) => s.trimEnd().split("\n").slice(-lines).join("\n");

export class Fleet {
  server!: ServerHandle;
  readonly runners: Runner[] = [];
  readonly unexpected: UnexpectedExit[] = [];
  /** Server generations: each process's output is kept for the report. */
  private servers: ServerHandle[] = [];
  private expectedServerExit = new WeakSet<ServerHandle>();
  /** Task processes of runners the harness killed: pid → start time (so a reused pid is never hit). */
  private orphans = new Map<number, string>();
  private counter = 0;
  agentToken = "";

  constructor(
    private readonly opts: { logDir: string; serverOptions: ServerOptions; runnerCapabilities: string[]; runnerLabels: string[]; slots: number },
  ) {}

  async startServer(): Promise<ServerHandle> {
    this.adopt(await startServerProcess(this.opts.serverOptions));
    return this.server;
  }

  private adopt(s: ServerHandle) {
    this.server = s;
    this.servers.push(s);
    s.proc.once("exit", (code, signal) => {
      if (!this.expectedServerExit.has(s)) this.unexpected.push({ what: `server pid ${s.proc.pid}`, code, signal, at: Date.now(), tail: tail(s.output()) });
    });
  }

  /** SIGKILL the control plane (nothing flushed, nothing said to anyone). */
  async killServer() {
    this.expectedServerExit.add(this.server);
    await this.server.stop(true);
  }

  /**
   * A new server process on the same data directory and port (ServerHandle.restart passes the
   * port it was listening on). Returns when it says it is listening, with the spawn time.
   */
  async restartServer(): Promise<{ spawnAt: number; listeningAt: number; samePort: boolean }> {
    const before = this.server;
    const spawnAt = Date.now();
    const next = await before.restart();
    const listeningAt = Date.now();
    this.adopt(next);
    return { spawnAt, listeningAt, samePort: next.port === before.port };
  }

  /** Every server process so far (restarts make new ones), for their logs. */
  serverHandles(): readonly ServerHandle[] {
    return this.servers;
  }

  serverAlive() {
    return this.server.proc.exitCode === null && this.server.proc.signalCode === null;
  }

  startRunner(serverUrl: string, viaProxy: boolean, name = `chaos-runner-${++this.counter}`): Runner {
    const handle = startAgentProcess({
      server: serverUrl,
      token: this.agentToken,
      name,
      capabilities: this.opts.runnerCapabilities,
      labels: this.opts.runnerLabels,
      slots: this.opts.slots,
    });
    const runner: Runner = { name, handle, pid: handle.proc.pid!, viaProxy, killed: false, stopped: false, startedAt: Date.now() };
    this.runners.push(runner);
    handle.proc.once("exit", (code, signal) => {
      if (!runner.killed) this.unexpected.push({ what: `runner ${name} pid ${runner.pid}`, code, signal, at: Date.now(), tail: tail(handle.output()) });
    });
    return runner;
  }

  liveRunners() {
    return this.runners.filter((r) => !r.killed);
  }

  /** SIGKILL one runner. Its task processes are left running, as after a real crash of the agent. */
  async killRunner(r: Runner) {
    r.killed = true;
    this.rememberChildren(r);
    if (r.stopped) this.resume(r);
    await r.handle.stop("SIGKILL");
  }

  private rememberChildren(r: Runner) {
    for (const pid of descendants(r.pid)) {
      const started = startTimeOf(pid);
      if (started) this.orphans.set(pid, started);
    }
  }

  /** SIGSTOP: the process and its socket stay, but it says nothing (a hung or swapped-out agent). */
  stall(r: Runner) {
    r.stopped = true;
    process.kill(r.pid, "SIGSTOP");
  }

  resume(r: Runner) {
    if (!r.stopped) return;
    r.stopped = false;
    try {
      process.kill(r.pid, "SIGCONT");
    } catch {
      /* already gone */
    }
  }

  /** Writes every process's output to the log directory (evidence for the report). */
  saveLogs() {
    fs.mkdirSync(this.opts.logDir, { recursive: true });
    this.servers.forEach((s, i) => fs.writeFileSync(path.join(this.opts.logDir, `server-${i + 1}.log`), s.output()));
    for (const r of this.runners) fs.writeFileSync(path.join(this.opts.logDir, `${r.name}.log`), r.handle.output());
  }

  /** Stops everything: continue stalled runners, SIGKILL runners and their task processes, stop the server. */
  async cleanup() {
    for (const r of this.runners) {
      if (r.stopped) this.resume(r);
      if (r.handle.proc.exitCode === null && r.handle.proc.signalCode === null) {
        this.rememberChildren(r);
        r.killed = true;
        await r.handle.stop("SIGKILL").catch(() => undefined);
      }
    }
    for (const [pid, started] of this.orphans) {
      // Only the very process the runner started, if it still runs (most ended long ago).
      if (startTimeOf(pid) !== started) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    if (this.server) {
      this.expectedServerExit.add(this.server);
      await this.server.stop().catch(() => undefined);
    }
  }
}
