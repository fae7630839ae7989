// Opens the store a DATABASE_URL names: an SQLite file (`file:`), or PostgreSQL
// (`postgres://` or `postgresql://`). lib/env.ts refuses anything else before this runs.
import type { Store } from "./ports";
import { openSqliteStore } from "./sqlite";
import { openPostgresStore } from "./postgres";
import { isPostgresUrl } from "./postgres/db";

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith("file:")) return openSqliteStore(url);
  if (isPostgresUrl(url)) return openPostgresStore(url);
  throw new Error("DATABASE_URL must be an SQLite file URL (file:./data/switchboard.db) or a PostgreSQL URL (postgresql://user:password@host:5432/db).");
}
