// The audit log: every admin and operator action (and every refused one) with who, what, when,
// from where and how it ended. Written by the gateway layers (tRPC middleware, REST router,
// login), never by individual handlers, so nothing is forgotten.
import type { AuditQuery, AuditRecord, AuditRepository } from "@/server/store/ports";
import type { Clock } from "@/server/core/clock";
import { log } from "@/server/log";
import { principalName, principalRole, type Principal } from "@/server/auth/principal";

export type { AuditOutcome, AuditView } from "@/lib/api";
import type { AuditOutcome, AuditView } from "@/lib/api";
export type { AuditQuery };

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
  /** Entries recorded in this turn of the event loop: written together, in one statement. */
  private queue: AuditRecord[] = [];
  private written: Promise<void> | null = null;
  /** The write before: the next one starts after it, gathering what arrives meanwhile. */
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { audit: AuditRepository; clock: Clock }) {}

  /**
   * Never throws: a failed audit write is logged, and does not fail what it records. Resolves
   * once the entry is stored. Entries are batched per turn of the loop (and while a write is
   * in flight): one write per entry cost a transaction per submitted request.
   */
  record(e: { principal: Principal | null; action: string; ip: string; outcome: AuditOutcome; target?: string | null; details?: Record<string, unknown> | null; actor?: string }): Promise<void> {
    this.queue.push({
      at: this.deps.clock.now(),
      actor: e.actor ?? (e.principal ? principalName(e.principal) : "anonymous"),
      actorKind: e.principal?.kind ?? "anonymous",
      role: e.principal ? principalRole(e.principal) : "-",
      action: e.action,
      target: e.target ?? null,
      ip: e.ip,
      outcome: e.outcome,
      details: e.details ?? null,
    });
    this.written ??= this.previous.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            const entries = this.queue;
            this.queue = [];
            this.written = null;
            this.deps.audit.append(entries).then(resolve, (err: Error) => {
              log.error("audit write failed", { entries: entries.length, actions: [...new Set(entries.map((x) => x.action))].slice(0, 5).join(","), error: err.message });
              resolve();
            });
          }),
        ),
    );
    this.previous = this.written;
    return this.written;
  }

  find(q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: number | null }> {
    return this.deps.audit.find(q);
  }

  /** Keeps a year of audit by default. */
  prune(before: number): Promise<number> {
    return this.deps.audit.prune(before);
  }
}
