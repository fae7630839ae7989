// A real PostgreSQL for tests and benchmarks: initdb into a temp directory, the server on
// 127.0.0.1 on a free port (its unix socket in that directory too), stopped by PID. Fresh
// databases are cheap: `database()` copies one migrated template (CREATE DATABASE … TEMPLATE),
// a few milliseconds instead of a migration per test.
//
// PostgreSQL refuses to run as root, and CI runs as root: then initdb and postgres run as the
// `postgres` system user (Debian's package creates it) through `runuser`, in a directory chowned
// to it. The binaries are found in /usr/lib/postgresql/<version>/bin (not on PATH on Debian).
// Missing binaries fail loudly; SB_SKIP_POSTGRES=1 is the explicit opt-out (tests then skip).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** Set SB_SKIP_POSTGRES=1 to skip the PostgreSQL tests on a machine without PostgreSQL (never in CI). */
export const skipPostgres = process.env.SB_SKIP_POSTGRES === "1";

export interface PostgresHandle {
  /** postgresql://… of the `postgres` database (for admin statements). */
  url: string;
  port: number;
  dir: string;
  /** A URL for database `name` on this server. */
  urlOf(name: string): string;
  /** A new empty database (or a copy of `template`); returns its URL. */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Fast shutdown, `downMs` without a server, then the same data on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Servers still running, with their data directories: a test that dies first leaves none behind. */
const live = new Map<ChildProcess, string>();
process.on("exit", () => {
  for (const [c, data] of live) {
    // Under runuser our child is runuser: the postmaster (its child) is stopped by its own PID.
    const pid = postmasterPid(data);
    if (pid)
      try {
        process.kill(pid, "SIGQUIT");
      } catch {
        // already gone
      }
    c.kill("SIGKILL");
  }
});

/** The newest installed PostgreSQL's bin directory; a clear error when there is none. */
export function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")) && fs.existsSync(path.join(base, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql, or set SB_SKIP_POSTGRES=1 to skip the PostgreSQL tests on this machine.",
    );
  return path.join(base, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
/** A command as the user PostgreSQL accepts: ourselves, or `postgres` when we are root. */
const asPg = (cmd: string, args: string[]): [string, string[]] => (isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);

export interface PostgresOptions {
  /**
   * "test" (default): fsync off — a test database need not survive a power cut, and fsyncs
   * dominate on a shared disk. "sqlite-equivalent" (benchmarks): fsync on, synchronous_commit
   * off — what the SQLite store's WAL with synchronous=NORMAL guarantees: a commit survives the
   * application's crash, a power cut may lose the last moments but never corrupts the database.
   */
  durability?: "test" | "sqlite-equivalent";
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresHandle> {
  const bin = postgresBin();
  // Outside the project tree (Tailwind scans it, and the watcher would see the files).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-pg-"));
  const data = path.join(dir, "data");
  if (isRoot()) {
    const { stdout } = await run("id", ["-u", "postgres"]).catch(() => {
      throw new Error("running as root, but there is no `postgres` system user to run PostgreSQL as (Debian's postgresql package creates it)");
    });
    const uid = Number(stdout.trim());
    fs.chownSync(dir, uid, fs.statSync(dir).gid);
    fs.chmodSync(dir, 0o700);
  }
  const [initCmd, initArgs] = asPg(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  try {
    await run(initCmd, initArgs, { cwd: dir });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${err.stderr || err.message}`);
  }
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const durability = opts.durability === "sqlite-equivalent" ? ["-c", "synchronous_commit=off"] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
    const [cmd, args] = asPg(path.join(bin, "postgres"), [
      "-D", data,
      "-p", String(port),
      "-k", dir,
      "-c", "listen_addresses=127.0.0.1",
      ...durability,
      "-c", "max_connections=200",
      "-c", "shared_buffers=64MB",
    ]);
    const proc = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    live.set(proc, data);
    let out = "";
    proc.stdout!.on("data", (d) => (out += d));
    proc.stderr!.on("data", (d) => (out += d));
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const ready = await waitReady(url, proc, () => out);
    if (!ready) {
      live.delete(proc);
      // Another process took the port between our probe and the bind: try another.
      if (/could not bind|Address already in use/.test(out) && attempt < 3) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start:\n${out}`);
    }
    const urlOf = (name: string) => `postgresql://postgres@127.0.0.1:${port}/${name}`;
    let current = proc;
    const shutdown = async () => {
      if (current.exitCode === null && current.signalCode === null) {
        const exited = new Promise((r) => current.once("exit", r));
        // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, no wait for them. Sent
        // to the postmaster's own PID (its postmaster.pid; under runuser ours is runuser's).
        const pid = postmasterPid(data) ?? current.pid!;
        try {
          process.kill(pid, "SIGINT");
        } catch {
          current.kill("SIGINT");
        }
        const timer = setTimeout(() => current.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      live.delete(current);
    };
    return {
      url,
      port,
      dir,
      urlOf,
      async createDatabase(name, template) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name) || (template && !/^[a-z_][a-z0-9_]*$/.test(template))) throw new Error(`bad database name ${name}`);
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
        } finally {
          await c.end();
        }
        return urlOf(name);
      },
      async restart(downMs = 0) {
        await shutdown();
        await new Promise((r) => setTimeout(r, downMs));
        const again = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        live.set(again, data);
        let log = "";
        again.stdout!.on("data", (d) => (log += d));
        again.stderr!.on("data", (d) => (log += d));
        current = again;
        if (!(await waitReady(url, again, () => log))) throw new Error(`PostgreSQL did not start again:\n${log}`);
      },
      async stop() {
        await shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

function postmasterPid(data: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function waitReady(url: string, proc: ChildProcess, output: () => string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    if (/database system is ready to accept connections/.test(output())) {
      const c = new pg.Client({ connectionString: url });
      try {
        await c.connect();
        await c.query("SELECT 1");
        return true;
      } catch {
        // not yet
      } finally {
        await c.end().catch(() => {});
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill("SIGKILL");
  return false;
}

/**
 * A PostgreSQL with one migrated template database: `fresh()` is a new database with the whole
 * schema in a few milliseconds (CREATE DATABASE … TEMPLATE copies its files), however many a
 * suite needs.
 */
export async function startMigratedPostgres(): Promise<PostgresHandle & { fresh(): Promise<string> }> {
  const { migratePostgres } = await import("@/server/store/postgres/db");
  const pg = await startPostgres();
  try {
    await migratePostgres(await pg.createDatabase("sb_template"));
  } catch (e) {
    await pg.stop();
    throw e;
  }
  let n = 0;
  return { ...pg, fresh: () => pg.createDatabase(`sb_${process.pid}_${++n}`, "sb_template") };
}
