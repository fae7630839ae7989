// GET /metrics over HTTP: on the main port behind the same credentials as the API, and — when
// SWITCHBOARD_METRICS_ADDR is set — on a second listener without any, for a scraper on the same
// host or a private network (Prometheus' usual deployment; bind it where only that can reach).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { resolvePrincipal } from "@/server/auth/principal";
import { clientIp } from "@/server/admission/client-ip";
import { AppError } from "@/server/errors";
import { sendError, sendJson } from "@/server/http/json";
import { log } from "@/server/log";
import type { ServiceContext } from "@/server/services/context";

async function writeScrape(res: ServerResponse, registry: Registry) {
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
  res.end(body);
}

function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "GET") return false;
  res.setHeader("allow", "GET");
  sendJson(res, 405, { error: { code: "BAD_REQUEST", message: `${req.method} is not allowed on /metrics; scrape it with GET.` } });
  return true;
}

/**
 * The main port's /metrics (after admission: rate limits, request tracking). It shows what
 * GET /api/v1/stats shows, in another format, so it is that operation's permission: any
 * signed-in user or token that may read (401 without credentials, 403 without the right).
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, registry: Registry, services: ServiceContext) {
  try {
    if (refuseMethod(req, res)) return;
    services.authorize({ principal: await resolvePrincipal(req, services.deps), ip: clientIp(req) }, "fleet.stats");
    await writeScrape(res, registry);
  } catch (e) {
    sendError(res, e);
  }
}

/** The unauthenticated listener: /metrics and nothing else. Resolves once it listens. */
export async function listenForScrapes(addr: { host: string; port: number }, registry: Registry): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/metrics") return sendError(res, new AppError("NOT_FOUND", `Only /metrics is served on this address (got ${path.slice(0, 100)}).`));
    if (refuseMethod(req, res)) return;
    writeScrape(res, registry).catch((e) => sendError(res, e));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new Error(`SWITCHBOARD_METRICS_ADDR: cannot listen on ${addr.host}:${addr.port}: ${e.message}`)));
    server.listen(addr.port, addr.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  const url = `http://${addr.host.includes(":") ? `[${addr.host}]` : addr.host}:${port}/metrics`;
  log.info("metrics listening without authentication", { url });
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
