// Reads on the pool as named prepared statements: parsed and planned once per connection, then
// only bound and executed (Prisma would prepare and map each call again). `rows` hands back
// arrays of columns in SELECT order (no object per row: task rows are 33 columns wide).
import type pg from "pg";

export class PgReads {
  private names = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly prefix: string,
  ) {}

  private name(sql: string): string {
    let n = this.names.get(sql);
    if (!n) {
      n = `sb_${this.prefix}_${this.names.size + 1}`;
      // Texts are few and fixed (filters vary by which are present, not by value); a bound
      // keeps a bug from preparing without limit on every connection.
      if (this.names.size < 256) this.names.set(sql, n);
      else return "";
    }
    return n;
  }

  private query(sql: string, params: readonly unknown[], rowMode?: "array") {
    const name = this.name(sql);
    return this.pool.query({ ...(name ? { name } : {}), text: sql, values: params as unknown[], ...(rowMode ? { rowMode } : {}) });
  }

  async all<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async rows(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    return (await this.query(sql, params, "array")).rows as unknown[][];
  }

  async row(sql: string, params: readonly unknown[]): Promise<unknown[] | null> {
    return ((await this.query(sql, params, "array")).rows[0] as unknown[] | undefined) ?? null;
  }

  async get<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<R | null> {
    return ((await this.query(sql, params)).rows[0] as R | undefined) ?? null;
  }

  /** Rows changed by a statement (DELETE, UPDATE). */
  async run(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}
