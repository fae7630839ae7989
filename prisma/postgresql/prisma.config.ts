// Prisma CLI configuration for the PostgreSQL schema (derived: scripts/prisma-postgres.mjs):
// the JS/WebAssembly engines over `pg` through @prisma/adapter-pg, so no native engine is
// downloaded. `prisma generate|migrate deploy|db push --config prisma/postgresql/prisma.config.ts`.
// The runtime client is built in server/store/postgres/db.ts.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const url = process.env.DATABASE_URL ?? "postgresql://localhost:5432/switchboard";

/**
 * The schema engine reads PostgreSQL's catalogs, whose identifiers are of type `name` (and
 * flags of type "char"); @prisma/adapter-pg 6.19 maps neither to a column type and every
 * migrate command fails with "Column type 'name' could not be deserialized from the database"
 * (prisma/prisma#27403, open). Their values arrive as plain strings, so each result's field is
 * relabelled as text (arrays as text[]) before the adapter looks at it. The CLI only: the
 * server's queries never return catalog types.
 */
const AS_TEXT: Record<number, number> = { 18: 25, 19: 25, 1003: 1009 };

function catalogTypesAsText(pool: pg.Pool): pg.Pool {
  const relabel = <R>(r: R): R => {
    for (const res of Array.isArray(r) ? r : [r]) for (const f of (res as pg.QueryResult | undefined)?.fields ?? []) if (AS_TEXT[f.dataTypeID]) f.dataTypeID = AS_TEXT[f.dataTypeID];
    return r;
  };
  pool.on("connect", (client) => {
    const query = client.query as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.PoolClient, ...args: unknown[]) {
      // pg.Pool#query calls with a callback; the adapter's transactions await a promise.
      const last = args.length - 1;
      if (typeof args[last] === "function") {
        const done = args[last] as (err: unknown, res: unknown) => void;
        args[last] = (err: unknown, res: unknown) => done(err, err ? res : relabel(res));
      }
      const r = query.apply(this, args);
      return r && typeof (r as Promise<unknown>).then === "function" ? (r as Promise<unknown>).then(relabel) : r;
    };
  });
  return pool;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  async adapter() {
    return new PrismaPg(catalogTypesAsText(new pg.Pool({ connectionString: url, max: 2 })), { disposeExternalPool: true });
  },
});
