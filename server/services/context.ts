// The service layer's plumbing: who is calling, the one permission check every operation makes
// (lib/policy.ts OPERATION_RULES), and the one place the audit log is written. Transports (tRPC,
// REST, MCP, sockets) are thin adapters over the operations in this folder; they never reach the
// coordinator, the workflows or messaging themselves.
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { WorkflowService } from "@/server/workflows/workflow-service";
import type { MessageService } from "@/server/messaging/message-service";
import type { TokenService } from "@/server/auth/tokens";
import type { SessionService } from "@/server/auth/session";
import type { AuditService } from "@/server/auth/audit";
import { auditDetails, targetOf } from "@/server/auth/audit";
import type { IncidentService } from "@/server/coordinator/incidents";
import type { RequestStats } from "@/server/admission/request-stats";
import type { OverloadGuard } from "@/server/admission/overload";
import type { Clock } from "@/server/core/clock";
import type { Store } from "@/server/store/ports";
import { FleetViews } from "@/server/coordinator/views";
import { AppError } from "@/server/errors";
import { authorize, type Principal } from "@/server/auth/principal";
import { InsightQueries } from "@/server/insight/insight-queries";
import type { AlertEngine } from "@/server/alerts/alert-engine";
import type { ReportService } from "@/server/reports/report-service";
import type { PoolManager } from "@/server/pools/pool-manager";
import { OPERATION_RULES, type OperationId } from "@/lib/policy";
import type { TaskTracing } from "./tracing-port";

export interface ServiceDeps {
  coordinator: Coordinator;
  workflows: WorkflowService;
  messages: MessageService;
  tokens: TokenService;
  sessions: SessionService;
  audit: AuditService;
  incidents: IncidentService;
  requestStats: RequestStats;
  clock: Clock;
  /** Read models for queries the live state does not hold (finished tasks, history, logs). */
  store: Store;
  /** OpenTelemetry (server/tracing); absent when tracing is off. */
  tracing?: TaskTracing | null;
  /** Load shedding for new work (server/admission/overload.ts); absent in tests that do not need it. */
  overload?: OverloadGuard | null;
}

/** Who is calling, and from where (for the audit log). Null principal: nobody logged in. */
export interface Caller {
  principal: Principal | null;
  ip: string;
}

/** What a mutation records: the target and details default to what the input names. */
export interface AuditAs {
  action?: string;
  target?: string | null;
  input?: unknown;
}

export class ServiceContext {
  readonly views: FleetViews;
  readonly insight: InsightQueries;
  private alertEngine: AlertEngine | null = null;
  private reportService: ReportService | null = null;
  private poolManager: PoolManager | null = null;

  constructor(readonly deps: ServiceDeps) {
    this.views = new FleetViews(deps.coordinator);
    this.insight = new InsightQueries({ store: deps.store, coordinator: deps.coordinator, clock: deps.clock });
  }

  /** The alert engine reads through `insight`, so it is made after this context and handed in. */
  useAlerts(engine: AlertEngine) {
    this.alertEngine = engine;
  }

  /** Reports read alerts and insight, so they too are handed in once made. */
  useReports(reports: ReportService) {
    this.reportService = reports;
  }

  usePools(pools: PoolManager) {
    this.poolManager = pools;
  }

  get pools(): PoolManager {
    if (!this.poolManager) throw new AppError("UNAVAILABLE", "Pools are not running on this server.");
    return this.poolManager;
  }

  get reports(): ReportService {
    if (!this.reportService) throw new AppError("UNAVAILABLE", "Reports are not running on this server.");
    return this.reportService;
  }

  get alerts(): AlertEngine {
    if (!this.alertEngine) throw new AppError("UNAVAILABLE", "Alerts are not running on this server.");
    return this.alertEngine;
  }

  /**
   * The operation's permission against the caller (401 without one, 403 without the right). A
   * refused change is audited; a refused read is not (it changed nothing and may be a scan).
   */
  authorize(caller: Caller, op: OperationId, mutation = false): Principal {
    const rule = OPERATION_RULES[op];
    try {
      return authorize(caller.principal, rule);
    } catch (e) {
      if (mutation) void this.deps.audit.record({ principal: caller.principal, action: op, ip: caller.ip, outcome: "denied", details: { reason: (e as Error).message } });
      throw e;
    }
  }

  /** A read: the permission check, then the work. */
  async read<T>(caller: Caller, op: OperationId, fn: (p: Principal) => Promise<T> | T): Promise<T> {
    return fn(this.authorize(caller, op));
  }

  /**
   * A change: the permission check, the work, and one audit entry with its outcome. Agents'
   * own protocol traffic (heartbeats, reports) is not audited: it is the task history.
   */
  async mutate<T>(caller: Caller, op: OperationId, fn: (p: Principal) => Promise<T>, audit: AuditAs = {}): Promise<T> {
    const p = this.authorize(caller, op, true);
    if (OPERATION_RULES[op] === "agent") return fn(p);
    const action = audit.action ?? op;
    const target = audit.target !== undefined ? audit.target : targetOf(audit.input);
    try {
      const out = await fn(p);
      void this.deps.audit.record({ principal: p, action, target, ip: caller.ip, outcome: "ok", details: auditDetails(audit.input) });
      return out;
    } catch (e) {
      void this.deps.audit.record({ principal: p, action, target, ip: caller.ip, outcome: "failed", details: auditDetails(audit.input, (e as Error).message) });
      throw e;
    }
  }
}

/** The caller must be an API token (agents act through theirs). */
export function tokenOf(p: Principal) {
  if (p.kind !== "token") throw new AppError("FORBIDDEN", "This needs an API token.");
  return p.token;
}
