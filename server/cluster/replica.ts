// One Switchboard process as a replica. On SQLite it is the whole server, alone. On PostgreSQL
// any number may share the database: the one holding the leadership lease (pg-lease.ts) runs
// the whole server — coordinator, timers, alerts, reports, pools — with its epoch on every group
// commit; the others open a follower door (follower.ts) that forwards everything to it, and
// take the lease when it lapses. Leader-only work therefore runs exactly once, and a takeover is
// the restart recovery every server already has: the new leader reads the state from the
// database, and agents holding work reconnect within the restart grace.
//
// A leader that cannot renew before its lease runs out (the database is unreachable), or finds
// its epoch refused, steps down rather than act on: it stops its server — closing its agents'
// and dashboards' connections, which reconnect to whoever leads next — and follows, in the same
// process. When the database is back it takes part in the next claim like any follower (a lone
// server on PostgreSQL leads again by itself, recovering as after a restart). Only when that
// step down fails does it exit (status 75) for a supervisor to start it again.
import os from "node:os";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { ServerEnv } from "@/lib/env";
import { heldUntil, renewEvery } from "@/server/core/leadership";
import { startServer, type RunningServer } from "@/server/app";
import { isPostgresUrl, migratePostgres } from "@/server/store/postgres/db";
import { log } from "@/server/log";
import { PgLease } from "./pg-lease";
import { openFollowerDoor, type FollowerDoor } from "./follower";

/** The exit status of a replica that stopped leading (EX_TEMPFAIL: start it again). */
export const LOST_LEADERSHIP_EXIT = 75;

export interface Announcements {
  /** This process serves as the leader (or the only server) at `server.url`. */
  leading(server: RunningServer): void;
  /** This process forwards to the leader from `url`. */
  following(url: string, replica: string): void;
}

export interface Replica {
  close(): Promise<void>;
}

const DRIFT = { maxDriftRate: 0.01, marginMs: 100 };
/** How long a stepping-down leader waits for its server to stop before it opens the follower door. */
const STEP_DOWN_WAIT_MS = 10_000;

function hostOf(env: ServerEnv) {
  return ["0.0.0.0", "::"].includes(env.HOST) ? os.hostname() : env.HOST;
}

export async function runReplica(env: ServerEnv, say: Announcements): Promise<Replica> {
  if (!isPostgresUrl(env.DATABASE_URL)) {
    const server = await startServer(env);
    say.leading(server);
    return { close: () => server.close() };
  }
  await migratePostgres(env.DATABASE_URL); // the lease's table; a no-op once migrated
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, connectionTimeoutMillis: 5_000, application_name: "switchboard-lease" });
  pool.on("error", () => {});
  const replica = `${env.SWITCHBOARD_REPLICA_NAME ?? os.hostname()}/${randomUUID().slice(0, 8)}`;
  const ttl = env.SWITCHBOARD_LEADER_LEASE_MS;
  const lease = new PgLease(pool, replica, ttl);

  let stopped = false;
  let leading: { server: RunningServer | null; epoch: number; timer: ReturnType<typeof setInterval>; down: boolean } | null = null;
  let following: { door: FollowerDoor; timer: ReturnType<typeof setInterval> } | null = null;

  /** Stops leading (at most once per term): the server goes, a follower door opens on its port. */
  const lost = (why: string) => {
    const term = leading;
    if (stopped || !term || term.down) return;
    term.down = true;
    clearInterval(term.timer);
    log.error("this replica no longer leads; stepping down to follow", { replica, why, epoch: term.epoch });
    void (async () => {
      // Its group commits are refused (fenced) or cannot reach the database: a last flush that
      // does not land loses nothing, since the next leader recovers from what is durable. The
      // connections go first, so the port is free for the follower door even if the rest hangs.
      const port = term.server?.port ?? env.PORT;
      await term.server?.disconnect();
      const closing = term.server?.close() ?? Promise.resolve();
      await Promise.race([closing, new Promise((r) => setTimeout(r, STEP_DOWN_WAIT_MS))]);
      leading = null;
      await follow(await lease.read().catch(() => null), port);
    })().catch((e: Error) => {
      log.error("could not step down to follow; exiting", { error: e.message });
      process.exit(LOST_LEADERSHIP_EXIT);
    });
  };

  /** Leads from a won claim (sent at `sentAt`): renews from now on, then starts the server. */
  async function lead(epoch: number, sentAt: number, port: number) {
    let until = heldUntil(sentAt, ttl, DRIFT);
    let renewing = false;
    const timer = setInterval(() => {
      if (performance.now() > until) return lost("the lease ran out before a renewal got through");
      if (renewing) return; // one in flight (the database is slow): the deadline above decides
      renewing = true;
      const sent = performance.now();
      lease
        .claim()
        .then((r) => {
          if (!r.won || r.lease.epoch !== epoch) return lost(`replica ${r.lease.holder} holds the lease (epoch ${r.lease.epoch})`);
          until = heldUntil(sent, ttl, DRIFT);
        })
        .catch((e: Error) => log.warn("could not renew the leadership lease; retrying", { error: e.message }))
        .finally(() => (renewing = false));
    }, Math.min(renewEvery(ttl), 1_000));
    timer.unref();
    leading = { server: null, epoch, timer, down: false };
    log.info("leading the replicas", { replica, epoch });
    const term = leading;
    const server = await startServer({ ...env, PORT: port }, { fence: { holder: replica, epoch, onLost: lost } });
    term.server = server;
    if (term.down) return void (await server.close()); // lost while it started
    const address = env.SWITCHBOARD_ADVERTISE_URL ?? `http://${hostOf(env)}:${server.port}`;
    if (!(await lease.advertise(epoch, address).catch(() => false))) return lost("the lease changed hands while the server started");
    say.leading(server);
  }

  async function follow(first: Awaited<ReturnType<PgLease["read"]>> | null, port: number) {
    let address = first?.live ? first.address : null;
    const door = await openFollowerDoor({ port, host: env.HOST, leader: () => address, replica });
    let polling = false;
    // Four looks per lease: a lapsed lease is seen within a quarter of it.
    const timer = setInterval(() => {
      if (polling || stopped) return;
      polling = true;
      void (async () => {
        const now = await lease.read();
        address = now.live ? now.address : null;
        if (now.live) return;
        const sent = performance.now();
        const c = await lease.claim();
        if (!c.won) return;
        clearInterval(timer);
        following = null;
        log.info("the leader's lease lapsed; taking over", { replica, from: now.holder, epoch: c.lease.epoch });
        await door.close(); // the same port: agents and dashboards reconnect to it
        await lead(c.lease.epoch, sent, door.port);
      })()
        .catch((e: Error) => {
          if (leading) {
            log.error("could not start as the leader", { error: e.stack ?? e.message });
            process.exit(1);
          }
          log.warn("could not read the leadership lease; retrying", { error: e.message });
        })
        .finally(() => (polling = false));
    }, Math.max(50, Math.floor(ttl / 4)));
    timer.unref();
    following = { door, timer };
    say.following(`http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST}:${door.port}`, replica);
  }

  const sent = performance.now();
  const first = await lease.claim();
  if (first.won) await lead(first.lease.epoch, sent, env.PORT);
  else await follow(await lease.read(), env.PORT);

  return {
    async close() {
      stopped = true;
      if (following) {
        clearInterval(following.timer);
        await following.door.close();
      }
      if (leading) {
        const { server, epoch, timer } = leading;
        await server?.close(); // the last group commit goes in under the lease, then it is given up
        clearInterval(timer);
        await lease.release(epoch).catch(() => {});
      }
      await pool.end();
    },
  };
}
