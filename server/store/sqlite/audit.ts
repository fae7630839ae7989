// The audit log's appends on the driver's connection: every request that changes something
// appends a row (batched per turn of the loop), and through Prisma each batch was its own
// query compilation and WebAssembly round trip — about a fifth of a paced submission's CPU.
// Reads stay on the shared Prisma repository.
import type { PrismaModels } from "../prisma/client";
import type { DriverConnection } from "../db";
import type { AuditRecord } from "../ports";
import type BetterSqlite3 from "better-sqlite3";
import { withBusyRetry } from "../busy";
import { PrismaAudit } from "../prisma/audit";
import { sqliteDialect } from "./batch-writer";

const INSERT = `INSERT INTO "AuditEvent" ("at","actor","actorKind","role","action","target","ip","outcome","details") VALUES (?,?,?,?,?,?,?,?,?)`;

export class SqliteAudit extends PrismaAudit {
  private insert: { conn: BetterSqlite3.Database; st: BetterSqlite3.Statement } | null = null;

  constructor(
    db: PrismaModels,
    private readonly connection: DriverConnection,
  ) {
    super(db);
  }

  override async append(entries: AuditRecord[]) {
    if (entries.length === 0) return;
    const conn = this.connection();
    // Before Prisma connects, or while it holds a transaction on this connection: its way.
    if (!conn || conn.inTransaction) return super.append(entries);
    if (this.insert?.conn !== conn) this.insert = { conn, st: conn.prepare(INSERT) };
    const st = this.insert.st;
    await withBusyRetry("audit write", async () =>
      conn.transaction(() => {
        for (const e of entries) st.run(sqliteDialect.bind(new Date(e.at)), e.actor, e.actorKind, e.role, e.action, e.target ?? null, e.ip, e.outcome, e.details ? JSON.stringify(e.details) : null);
      })(),
    );
  }
}
