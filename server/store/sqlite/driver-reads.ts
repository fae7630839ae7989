// Hot reads on the driver's own connection: prepared once, run synchronously by better-sqlite3,
// rows handed back as the driver reads them. Through Prisma the same SELECT is prepared again on
// every call and its rows go through the query compiler's mapping — several times the SQLite
// work for a one-row lookup. The adapter turns on safe integers for the whole connection
// (BigInt for every INTEGER); these statements turn it off: the columns read here are counts,
// ids and small numbers.
//
// While Prisma has a transaction open on this connection (between its awaits), a read here
// would see that transaction's uncommitted rows: then the caller's Prisma fallback runs instead,
// and queues behind the transaction as every Prisma read does.
import type BetterSqlite3 from "better-sqlite3";
import type { DriverConnection } from "../db";

const CACHE = 64;

export class DriverReads {
  private statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly connection: DriverConnection) {}

  /** The connection when a read may run on it now; null: use Prisma. */
  private ready(): BetterSqlite3.Database | null {
    const conn = this.connection();
    return conn && !conn.inTransaction ? conn : null;
  }

  private statement(conn: BetterSqlite3.Database, sql: string, raw = false): BetterSqlite3.Statement {
    const key = raw ? `raw:${sql}` : sql;
    let st = this.statements.get(key);
    if (!st) {
      st = conn.prepare(sql).safeIntegers(false);
      if (raw) st.raw(true);
      if (this.statements.size >= CACHE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(key, st);
    }
    return st;
  }

  /** Every row, or undefined when the read must go through Prisma. */
  all<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): R[] | undefined {
    const conn = this.ready();
    return conn ? (this.statement(conn, sql).all(...params) as R[]) : undefined;
  }

  /** Every row as an array of its columns in SELECT order, or undefined when the read must go through Prisma. */
  rows(sql: string, params: readonly unknown[]): unknown[][] | undefined {
    const conn = this.ready();
    return conn ? (this.statement(conn, sql, true).all(...params) as unknown[][]) : undefined;
  }

  /**
   * Every row, mapped one at a time as the driver steps through them (no array of raw rows held
   * meanwhile: for a start's 100,000 tasks that garbage was most of the time); undefined when
   * the read must go through Prisma.
   */
  mapRows<T>(sql: string, params: readonly unknown[], map: (row: unknown[]) => T): T[] | undefined {
    const conn = this.ready();
    if (!conn) return undefined;
    const out: T[] = [];
    for (const row of this.statement(conn, sql, true).iterate(...params) as IterableIterator<unknown[]>) out.push(map(row));
    return out;
  }

  /** The first row as an array (null when none), or undefined when the read must go through Prisma. */
  row(sql: string, params: readonly unknown[]): unknown[] | null | undefined {
    const conn = this.ready();
    return conn ? ((this.statement(conn, sql, true).get(...params) as unknown[] | undefined) ?? null) : undefined;
  }

  /** The first row (null when none), or undefined when the read must go through Prisma. */
  get<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): R | null | undefined {
    const conn = this.ready();
    return conn ? ((this.statement(conn, sql).get(...params) as R | undefined) ?? null) : undefined;
  }
}
