// What the harness watches while it breaks things:
// - HealthProbe: GET /healthz five times a second from a separate process, so the latency is
//   the server's and not this harness's (whose own event loop is busy with the fuzzer, two SDK
//   agents and the pollers). A new probe starts every 200 ms whether or not the last one
//   answered, so a stall shows as its full length.
// - Detector: how long until the server shows a killed or stalled agent as not online.
// - serverErrors: ERROR lines in the server's output (an unhandled error behind a socket ack or
//   an MCP call is only visible there).
import { spawn, type ChildProcess } from "node:child_process";
import type { ApiClient } from "./http";

export interface ProbeSample {
  at: number;
  ms: number;
  status: number; // 0: no answer
  error?: string;
}

const PROBE_SOURCE = `
const http = require("node:http");
const port = Number(process.env.PROBE_PORT);
const every = Number(process.env.PROBE_EVERY_MS);
setInterval(() => {
  const at = Date.now();
  const t0 = performance.now();
  let done = false;
  const finish = (status, error) => {
    if (done) return;
    done = true;
    process.stdout.write(JSON.stringify({ at, ms: performance.now() - t0, status, error }) + "\\n");
  };
  const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
    res.resume();
    res.on("end", () => finish(res.statusCode));
    res.on("error", (e) => finish(res.statusCode, e.message));
  });
  req.setTimeout(10000, () => { finish(0, "timeout"); req.destroy(); });
  req.on("error", (e) => finish(0, e.code || e.message));
}, every);
process.on("disconnect", () => process.exit(0));
`;

export class HealthProbe {
  readonly samples: ProbeSample[] = [];
  private child: ChildProcess | null = null;

  constructor(
    private readonly port: number,
    private readonly everyMs = 200,
  ) {}

  start() {
    this.child = spawn(process.execPath, ["-e", PROBE_SOURCE], {
      env: { ...process.env, PROBE_PORT: String(this.port), PROBE_EVERY_MS: String(this.everyMs) },
      stdio: ["ignore", "pipe", "inherit", "ipc"], // ipc: the probe exits when the harness dies
    });
    let buf = "";
    this.child.stdout!.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          this.samples.push(JSON.parse(line) as ProbeSample);
        } catch {
          /* partial line */
        }
      }
    });
  }

  /** Samples started in [from, to]. */
  window(from: number, to: number) {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }

  async stop() {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  }
}

export interface AgentListing {
  id: string;
  name: string;
  status: string;
  health?: string;
  currentTasks: { id: string }[];
}

/**
 * Polls GET /api/v1/agents every 100 ms until the named agent is "offline" (the server will not
 * give it work and counts it gone). Returns seconds since `since`, or null after `timeoutMs`.
 * Also notes when it was first flagged "unhealthy" (missed heartbeats), an earlier signal.
 */
export async function detectOffline(api: ApiClient, name: string, since: number, timeoutMs: number): Promise<{ offlineS: number | null; unhealthyS: number | null }> {
  let unhealthyS: number | null = null;
  while (Date.now() - since < timeoutMs) {
    const a = await api.get("/api/v1/agents", 2_000);
    const me = (a.json?.agents as AgentListing[] | undefined)?.find((x) => x.name === name);
    const t = (Date.now() - since) / 1000;
    if (me && me.health && me.health !== "healthy" && unhealthyS === null) unhealthyS = t;
    if (me && me.status === "offline") return { offlineS: t, unhealthyS: unhealthyS ?? t };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { offlineS: null, unhealthyS };
}

/** ERROR lines of the server output from `offset` on; expected ones (the DB lock's retries) apart. */
export function serverErrors(output: string, offset: number): { unexpected: string[]; writeRetries: number } {
  const lines = output.slice(offset).split("\n").filter((l) => / ERROR /.test(l));
  const writeRetries = lines.filter((l) => l.includes("store write failed, retrying")).length;
  return { unexpected: lines.filter((l) => !l.includes("store write failed, retrying")), writeRetries };
}
