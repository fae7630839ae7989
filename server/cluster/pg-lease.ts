// The leadership lease as a row in PostgreSQL ("Leadership"), decided by the pure rules in
// server/core/leadership.ts. A claim locks the row (FOR UPDATE) and reads the database's clock
// in the same transaction, so replicas never compare wall clocks, two claims never interleave,
// and a claim waits for the holder's fenced writes in flight (they hold FOR KEY SHARE on the
// row, see server/store/postgres/fence.ts) — a takeover commits only after the last write made under the old epoch.
import type pg from "pg";
import { NO_LEASE, claim, release, type LeaseRow } from "@/server/core/leadership";
import { LEADERSHIP } from "@/server/store/postgres/fence";
import { inTransaction } from "@/server/store/postgres/db";

export interface Lease extends LeaseRow {
  address: string | null;
}

type Row = { holder: string | null; epoch: number; expiresAt: string; address: string | null; now: string };

const SELECT = `SELECT holder, epoch, "expiresAt"::text AS "expiresAt", address, (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS now FROM "Leadership" WHERE name = $1`;

const toLease = (r: Row | undefined): Lease =>
  r ? { holder: r.holder, epoch: r.epoch, expiresAt: Number(r.expiresAt), address: r.address } : { ...NO_LEASE, address: null };

export class PgLease {
  constructor(
    private readonly pool: pg.Pool,
    /** This process: unique per start, so a restarted replica never passes for its old self. */
    readonly holder: string,
    readonly ttlMs: number,
    private readonly name = LEADERSHIP,
  ) {}

  /** The lease as it stands, without taking it; `live` says whether its holder still holds it. */
  async read(): Promise<Lease & { live: boolean }> {
    const r = await this.pool.query<Row>(SELECT, [this.name]);
    const lease = toLease(r.rows[0]);
    return { ...lease, live: lease.holder !== null && lease.expiresAt > Number(r.rows[0]?.now ?? 0) };
  }

  /** Renews the lease (holder) or takes it (expired or released); `won` false leaves it as it is. */
  async claim(): Promise<{ won: boolean; lease: Lease }> {
    return this.locked(async (c, row, dbNow) => {
      const next = claim(row, this.holder, dbNow, this.ttlMs);
      if (next.won) {
        const keep = next.row.epoch === row.epoch ? row.address : null; // a new holder advertises itself
        await c.query(`UPDATE "Leadership" SET holder = $2, epoch = $3, "expiresAt" = $4, address = $5 WHERE name = $1`, [this.name, next.row.holder, next.row.epoch, next.row.expiresAt, keep]);
        return { won: true, lease: { ...next.row, address: keep } };
      }
      return { won: false, lease: row };
    });
  }

  /** Where the other replicas reach the holder; only the holder of `epoch` may say. */
  async advertise(epoch: number, address: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE "Leadership" SET address = $4 WHERE name = $1 AND holder = $2 AND epoch = $3`, [this.name, this.holder, epoch, address]);
    return r.rowCount === 1;
  }

  /** Steps down (a clean shutdown): the next claim anywhere wins at once. */
  async release(epoch: number): Promise<void> {
    await this.locked(async (c, row) => {
      const next = release(row, this.holder, epoch);
      if (next !== row) await c.query(`UPDATE "Leadership" SET holder = NULL, "expiresAt" = 0, address = NULL WHERE name = $1`, [this.name]);
    });
  }

  private locked<T>(fn: (c: pg.PoolClient, row: Lease, dbNow: number) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO "Leadership" (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [this.name]);
      const r = await c.query<Row>(`${SELECT} FOR UPDATE`, [this.name]);
      return fn(c, toLease(r.rows[0]), Number(r.rows[0].now));
    });
  }
}

