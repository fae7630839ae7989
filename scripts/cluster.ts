// `npm run cluster`: three Switchboard replicas on one PostgreSQL, behind one address, to try
// replicas on one machine. PostgreSQL is DATABASE_URL when it names one, otherwise a throwaway
// server started here (Debian's postgresql package; its data goes when this stops). In front, a
// round-robin TCP balancer on PORT (3000) — test equipment, where production has nginx or
// HAProxy (README → Replicas); no sticky sessions needed, since followers forward to the leader.
// A replica that exits (a deposed leader exits 75) is started again, as a follower. Ctrl-C stops
// everything.
//
//   npm run cluster                     replicas on PORT+1…PORT+3, the balancer on PORT
//   REPLICAS=5 npm run cluster          more of them
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { randomPassword } from "@/server/auth/bootstrap";
import { startPostgres, type PostgresHandle } from "@/testing/postgres";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.PORT ?? 3000);
const COUNT = Math.max(2, Math.min(9, Number(process.env.REPLICAS ?? 3)));
const password = process.env.SWITCHBOARD_ADMIN_PASSWORD ?? randomPassword();
let stopping = false;

async function main() {
  let pg: PostgresHandle | null = null;
  let url = process.env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(url)) {
    process.stdout.write("starting a throwaway PostgreSQL (set DATABASE_URL=postgresql://… to use yours)\n");
    pg = await startPostgres({ durability: "sqlite-equivalent" });
    url = await pg.createDatabase("switchboard");
  }
  const ports = Array.from({ length: COUNT }, (_, i) => PORT + 1 + i);
  const children = new Map<number, ChildProcess>();
  const start = (port: number, i: number) => {
    const dataDir = path.join(ROOT, "data", "cluster", `r${i}`);
    fs.mkdirSync(dataDir, { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server", "index.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: url, SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ADMIN_PASSWORD: password, SWITCHBOARD_REPLICA_NAME: `r${i}`, SWITCHBOARD_TRUST_PROXY: "1", SWITCHBOARD_PUBLIC_URL: `http://localhost:${PORT}` },
    });
    const prefix = (d: Buffer) => d.toString().split("\n").filter(Boolean).map((l) => `[r${i} :${port}] ${l}\n`).join("");
    child.stdout!.on("data", (d: Buffer) => process.stdout.write(prefix(d)));
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(prefix(d)));
    child.once("exit", (code, signal) => {
      children.delete(port);
      if (stopping) return;
      process.stdout.write(`[r${i} :${port}] exited (${signal ?? code}); starting it again\n`);
      setTimeout(() => start(port, i), 500);
    });
    children.set(port, child);
  };
  // The first to start leads: the others find its lease and follow.
  start(ports[0], 0);
  await new Promise((r) => setTimeout(r, 4_000));
  ports.slice(1).forEach((p, i) => start(p, i + 1));

  let next = 0;
  const balancer = net.createServer((client) => {
    const tryFrom = (left: number) => {
      const port = ports[next++ % ports.length];
      const up = net.connect(port, "127.0.0.1");
      up.once("connect", () => {
        client.pipe(up).pipe(client);
        up.on("error", () => client.destroy());
        client.on("error", () => up.destroy());
        up.on("close", () => client.destroy());
        client.on("close", () => up.destroy());
      });
      up.once("error", () => (left > 1 ? tryFrom(left - 1) : client.destroy()));
    };
    tryFrom(ports.length);
  });
  await new Promise<void>((r) => balancer.listen(PORT, "127.0.0.1", () => r()));
  process.stdout.write(
    `\nSwitchboard cluster: ${COUNT} replicas (${ports.map((p) => `:${p}`).join(", ")}) behind http://localhost:${PORT}\n` +
      `  log in as admin / ${password}\n  each replica's role: curl -s localhost:${ports[0]}/readyz\n  kill the leader (the one whose /readyz says "leader") and watch another take over\n\n`,
  );

  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    balancer.close();
    await Promise.all(
      [...children.values()].map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM"))))),
    );
    await pg?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e) => {
  process.stderr.write(`cluster: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
