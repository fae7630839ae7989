// Prometheus metrics for one server: a registry of its own (never prom-client's global one, so
// several servers in one process — tests, the demo — do not share or clash), process and Node.js
// metrics under their usual names (process_*, nodejs_*), and Switchboard's switchboard_* series.
// See task-metrics.ts, fleet-gauges.ts and http-metrics.ts for what each measures.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { ServiceContext } from "@/server/services/context";
import type { Store } from "@/server/store/ports";
import { log } from "@/server/log";
import { CapabilityLabels } from "./bounded-labels";
import { registerFleetGauges, type AlertSource } from "./fleet-gauges";
import { HttpMetrics } from "./http-metrics";
import { listenForScrapes, serveMetrics } from "./metrics-endpoint";
import { TaskMetrics } from "./task-metrics";

export interface MetricsDeps {
  coordinator: Coordinator;
  alerts: AlertSource;
  services: ServiceContext;
  store: Pick<Store, "tasks">;
  /** SWITCHBOARD_METRICS_ADDR: also serve /metrics here, without authentication. */
  listen?: { host: string; port: number };
}

export interface Metrics {
  readonly registry: Registry;
  /** Where the unauthenticated listener is, if there is one. */
  readonly scrapeUrl: string | null;
  /** Called when an API request finishes, with request tracking's route names. */
  requestFinished(method: string | undefined, routes: readonly string[], status: number, ms: number): void;
  /** GET /metrics on the main port (authorizes the caller itself). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

export async function startMetrics(deps: MetricsDeps): Promise<Metrics> {
  const registry = new Registry();
  // First: an address it cannot bind stops the start before anything listens on the bus.
  const listener = deps.listen ? await listenForScrapes(deps.listen, registry) : null;
  collectDefaultMetrics({ register: registry });
  const capabilities = new CapabilityLabels();
  const tasks = new TaskMetrics({ registry, bus: deps.coordinator.bus, coordinator: deps.coordinator, capabilities });
  // Queued tasks rebuilt at start-up appear in no event until something happens to them.
  deps.store.tasks
    .unfinished()
    .then((rows) => tasks.seed(rows.map((t) => t.id)))
    .catch((e) => log.warn("metrics: could not read the unfinished tasks; switchboard_tasks_queued misses them until they change", { error: (e as Error).message }));
  registerFleetGauges(registry, deps.coordinator, deps.alerts);
  const http = new HttpMetrics(registry);
  return {
    registry,
    scrapeUrl: listener?.url ?? null,
    requestFinished: (method, routes, status, ms) => http.observe(method, routes, status, ms),
    serve: (req, res) => serveMetrics(req, res, registry, deps.services),
    close: async () => {
      tasks.close();
      await listener?.close();
      registry.clear();
    },
  };
}
