// CPU profiles for bench:fleet, per phase, without touching the server: the server is started
// with `--inspect=127.0.0.1:0` (it prints the inspector's ws:// address on stderr), and the
// bench opens a DevTools-protocol session over it (the `ws` package Socket.IO already brings)
// to start and stop the V8 profiler around each phase (connect, idle heartbeats, the load
// window, the reconnect after a restart). Each phase's profile is written as <dir>/<phase>.cpuprofile
// (opens in Chrome DevTools) and summarised by summarize(): self time per function, per file
// and per package, and the inclusive time of the project's own functions.
//
// Standalone: npx tsx bench/fleet-profile.ts FILE.cpuprofile [--top 25]
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The ws:// address a process started with --inspect printed, from its output. */
export function inspectorUrl(output: string): string | null {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? null;
}

export interface ProfilerSession {
  start(): Promise<void>;
  stop(): Promise<CpuProfile>;
  close(): void;
}

export async function openProfiler(wsUrl: string, samplingIntervalUs = 1000): Promise<ProfilerSession> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const call = <T>(method: string, params?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, (m) => {
        pending.delete(id);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result as T);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
  return {
    start: () => call("Profiler.start"),
    stop: async () => (await call<{ profile: CpuProfile }>("Profiler.stop")).profile,
    close: () => ws.close(),
  };
}

const ROOT = path.resolve(import.meta.dirname, "..");

/** A file as a reader wants it: project-relative, or the package under node_modules, or node's own. */
function fileOf(url: string): string {
  if (!url) return "(native / V8)";
  let p = url.replace(/^file:\/\//, "");
  if (p.startsWith("node:")) return p;
  const nm = p.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = p.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    return `node_modules/${pkg}/${rest.slice(rest[0].startsWith("@") ? 2 : 1).join("/")}`;
  }
  if (p.startsWith(ROOT + "/")) p = p.slice(ROOT.length + 1);
  return p;
}

function packageOf(file: string): string {
  if (file.startsWith("node_modules/")) {
    const rest = file.split("/");
    return rest[1].startsWith("@") ? `${rest[1]}/${rest[2]}` : rest[1];
  }
  if (file.startsWith("node:")) return "node (core)";
  if (file.startsWith("(")) return file;
  return file.split("/").slice(0, 2).join("/");
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  text: string;
}

/** Self time per function, file and package (ms and % of the busy time), and inclusive time of project functions. */
export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    // timeDeltas[i] is the time before sample i; sample i lasts until sample i+1.
    for (let i = 0; i < profile.samples.length; i++) {
      const d = profile.timeDeltas[i + 1] ?? 0;
      selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + d);
    }
  }
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || "(anonymous)"} ${fileOf(f.url)}${f.url ? `:${f.lineNumber + 1}` : ""}`;
  };
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    totalUs += us;
    if (n.callFrame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const f = n.callFrame.url ? fileOf(n.callFrame.url) : n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "(native / V8)";
    fn.set(label(id), (fn.get(label(id)) ?? 0) + us);
    file.set(f, (file.get(f) ?? 0) + us);
    pkg.set(packageOf(f), (pkg.get(packageOf(f)) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  // Inclusive time of the project's own functions (server/, lib/): each node's subtree, a
  // function counted once per stack (recursion is not double counted).
  const incl = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!;
    let us = selfUs.get(id) ?? 0;
    const key = label(id);
    const project = /^(server|lib)\//.test(fileOf(n.callFrame.url));
    const fresh = project && !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const c of n.children ?? []) us += walk(c, onStack);
    if (fresh) {
      onStack.delete(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
    return us;
  };
  walk(profile.nodes[0].id, new Set());
  const fmt = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / Math.max(1, busyUs)).toFixed(1).padStart(5)} %  ${k}`)
      .join("\n");
  const text = [
    `wall ${(wallMs / 1000).toFixed(1)} s, busy (not idle) ${(busyUs / 1000).toFixed(0)} ms = ${((100 * busyUs) / 1000 / wallMs).toFixed(1)} % of one core`,
    `by package (self):`,
    fmt(pkg, 12),
    `by file (self):`,
    fmt(file, top),
    `by function (self):`,
    fmt(fn, top),
    `project functions (inclusive):`,
    fmt(incl, top),
  ].join("\n");
  return { wallMs, busyMs: busyUs / 1000, text };
}

export function writeProfile(dir: string, phase: string, profile: CpuProfile) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${phase}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("fleet-profile.ts")) {
  const file = process.argv[2];
  if (file) {
    const topIdx = process.argv.indexOf("--top");
    console.log(summarize(JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile, topIdx > 0 ? Number(process.argv[topIdx + 1]) : 25).text);
  }
}
