// `switchboard pool-host`: runs a `host` pool's agents on this machine on the coordinator's
// command. It connects to /pool-hosts with an agent token, says what it runs (so a reconnect —
// after a network cut or a server restart — is reconciled, not doubled), starts runner
// processes when told (with its own token, its own --max), stops them when told (the runner
// drains first), and reports each exit. Stopping the host stops its agents.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { hostHelloSchema, poolAgentSpecSchema, runnerArgv, type PoolHostClientToServer, type PoolHostServerToClient } from "../lib/pool-host-protocol";

export interface PoolHostOptions {
  server: string;
  token: string;
  name: string;
  max: number;
  pools: string[];
  log?: (line: string) => void;
}

/** Agents start from the same entry the host was started with (the tsx launcher, or the bundle). */
const RUNNER = process.argv[1] ? path.resolve(process.argv[1]) : path.join(import.meta.dirname, "bin", "switchboard.mjs");

export async function runPoolHost(o: PoolHostOptions): Promise<number> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${new Date().toISOString()} pool-host ${o.name}: ${l}\n`));
  const running = new Map<string, { pool: string; child: ChildProcess }>();
  const socket: Socket<PoolHostServerToClient, PoolHostClientToServer> = io(new URL("/pool-hosts", o.server).toString(), {
    auth: { token: o.token },
    transports: ["websocket"],
    reconnectionDelayMax: 5_000,
  });

  const hello = () =>
    socket.emit("host:hello", hostHelloSchema.parse({ name: o.name, max: o.max, pools: o.pools, running: [...running].map(([name, r]) => ({ name, pool: r.pool, pid: r.child.pid ?? -1 })) }), (r) => {
      if (r.ok) log(`connected as ${r.hostId}; running ${running.size}`);
      else log(`refused: ${r.error.message}`);
    });
  socket.on("connect", hello);
  socket.on("connect_error", (e) => log(`cannot connect: ${e.message}`));
  socket.on("disconnect", (why) => log(`disconnected (${why}); its agents keep running`));

  socket.on("pool:launch", (raw, ack) => {
    const parsed = poolAgentSpecSchema.safeParse(raw);
    if (!parsed.success) return ack({ ok: false, error: "invalid launch request" });
    const spec = parsed.data;
    if (running.has(spec.name)) return ack({ ok: true, pid: running.get(spec.name)!.child.pid ?? -1 });
    if (running.size >= o.max) return ack({ ok: false, error: `host ${o.name} runs its maximum of ${o.max} agents` });
    if (o.pools.length && !o.pools.includes(spec.pool)) return ack({ ok: false, error: `host ${o.name} does not serve pool ${spec.pool}` });
    const child = spawn(process.execPath, [RUNNER, ...runnerArgv(spec, o.server)], { env: { ...process.env, ...spec.env, SWITCHBOARD_TOKEN: o.token, SWITCHBOARD_POOL: spec.pool }, stdio: ["ignore", "inherit", "inherit"] });
    running.set(spec.name, { pool: spec.pool, child });
    child.once("exit", (code, signal) => {
      running.delete(spec.name);
      log(`${spec.name} exited (${signal ?? code})`);
      socket.emit("host:exited", { name: spec.name, code, signal });
    });
    log(`started ${spec.name} for pool ${spec.pool} (pid ${child.pid})`);
    ack({ ok: true, pid: child.pid ?? -1 });
  });

  socket.on("pool:stop", ({ name }) => {
    const r = running.get(name);
    if (r) {
      log(`stopping ${name}`);
      r.child.kill("SIGTERM");
    }
  });

  return new Promise<number>((resolve) => {
    const stop = () => {
      log(`stopping: ${running.size} agents drain first`);
      socket.close();
      if (!running.size) return resolve(0);
      for (const r of running.values()) r.child.kill("SIGTERM");
      const check = setInterval(() => {
        if (!running.size) {
          clearInterval(check);
          resolve(0);
        }
      }, 100);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
