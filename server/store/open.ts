// Opens the store a DATABASE_URL names: an SQLite file (`file:`), or PostgreSQL
// (`postgres://` or `postgresql://`). lib/env.ts refuses anything else before this runs.
import type { Store } from "./ports";
import { openSqliteStore } from "./sqlite";
import { openPostgresStore } from "./postgres";
import { isPostgresUrl } from "./postgres/db";
import type { Fence } from "./postgres/fence";

/** `fence`: the leading replica's epoch, carried by every group commit (PostgreSQL only: replicas need it). */
export async function openStore(url: string, opts: { fence?: Fence } = {}): Promise<Store> {
  if (url.startsWith("file:")) return openSqliteStore(url);
  if (isPostgresUrl(url)) return openPostgresStore(url, opts);
  throw new Error("DATABASE_URL must be an SQLite file URL (file:./data/switchboard.db) or a PostgreSQL URL (postgresql://user:password@host:5432/db).");
}
