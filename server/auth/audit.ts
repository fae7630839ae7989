// The audit log: every admin and operator action (and every refused one) with who, what, when,
// from where and how it ended. Written by the gateway layers (tRPC middleware, REST router,
// login), never by individual handlers, so nothing is forgotten.
import type { Db } from "@/server/store/db";
import type { Clock } from "@/server/core/clock";
import { log } from "@/server/log";
import { principalName, principalRole, type Principal } from "@/server/http/principal";

export type AuditOutcome = "ok" | "denied" | "failed";

export interface AuditView {
  id: number;
  at: number;
  actor: string;
  actorKind: "user" | "token" | "anonymous";
  role: string;
  action: string;
  target: string | null;
  ip: string;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  search?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: number;
}

const SECRET_KEYS = /password|secret|token/i;
const MAX_DETAIL_CHARS = 2000;

/** The id-like field of an input (what was acted on), for the target column. */
export function targetOf(input: unknown): string | null {
  if (!input || typeof input !== "object") return null;
  const o = input as Record<string, unknown>;
  for (const k of ["id", "runId", "taskId", "name", "username", "step"]) if (typeof o[k] === "string") return String(o[k]).slice(0, 200);
  return null;
}

/** The input without secrets, bounded; plus the error when it failed. */
export function auditDetails(input: unknown, error?: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (input && typeof input === "object" && !Array.isArray(input)) {
    for (const [k, v] of Object.entries(input)) out[k] = SECRET_KEYS.test(k) ? "[redacted]" : v;
  } else if (input !== undefined) {
    out.input = input;
  }
  if (error) out.error = error;
  if (Object.keys(out).length === 0) return null;
  let json: string;
  try {
    json = JSON.stringify(out);
  } catch {
    return { unserialisable: "the input could not be written as JSON (too deeply nested)", ...(error ? { error } : {}) };
  }
  return json.length <= MAX_DETAIL_CHARS ? out : { truncated: json.slice(0, MAX_DETAIL_CHARS) };
}

export class AuditService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async record(e: { principal: Principal | null; action: string; ip: string; outcome: AuditOutcome; target?: string | null; details?: Record<string, unknown> | null; actor?: string }) {
    try {
      await this.deps.db.auditEvent.create({
        data: {
          at: new Date(this.deps.clock.now()),
          actor: e.actor ?? (e.principal ? principalName(e.principal) : "anonymous"),
          actorKind: e.principal?.kind ?? "anonymous",
          role: e.principal ? principalRole(e.principal) : "-",
          action: e.action,
          target: e.target ?? null,
          ip: e.ip,
          outcome: e.outcome,
          details: e.details ? JSON.stringify(e.details) : null,
        },
      });
    } catch (err) {
      log.error("audit write failed", { action: e.action, error: (err as Error).message });
    }
  }

  async find(q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: number | null }> {
    const rows = await this.deps.db.auditEvent.findMany({
      where: {
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: { contains: q.action } } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.cursor ? { id: { lt: q.cursor } } : {}),
        ...(q.from || q.to ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } } : {}),
        ...(q.search ? { OR: [{ actor: { contains: q.search } }, { action: { contains: q.search } }, { target: { contains: q.search } }, { ip: { contains: q.search } }] } : {}),
      },
      orderBy: { id: "desc" },
      take: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      at: r.at.getTime(),
      actor: r.actor,
      actorKind: r.actorKind as AuditView["actorKind"],
      role: r.role,
      action: r.action,
      target: r.target,
      ip: r.ip,
      outcome: r.outcome as AuditOutcome,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    }));
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }

  /** Keeps a year of audit by default. */
  async prune(before: number): Promise<number> {
    return (await this.deps.db.auditEvent.deleteMany({ where: { at: { lt: new Date(before) } } })).count;
  }
}
