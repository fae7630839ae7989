// /mcp: a Model Context Protocol endpoint (Streamable HTTP, stateless) so AI agents can use
// Switchboard as tools. Each request gets its own McpServer + transport bound to the caller's
// API token; there are no MCP sessions to track. Auth: `Authorization: Bearer <token>`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { LIMITS } from "@/lib/protocol";
import { AppError, HTTP_STATUS } from "@/server/errors";
import { readJson, sendJson } from "@/server/http/json";
import { bearer } from "@/server/auth/principal";
import type { ServiceContext } from "@/server/services/context";
import { clientIp } from "@/server/admission/client-ip";
import { log } from "@/server/log";
import { registerTools, type McpRequestScope } from "./tools";

const jsonRpcError = (res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);

export async function handleMcp(req: IncomingMessage, res: ServerResponse, svc: ServiceContext): Promise<void> {
  // Before any await: a caller that hangs up while we authenticate must still be noticed.
  const gone = new AbortController();
  const scope: McpRequestScope = { signal: gone.signal, claimed: [] };
  res.once("close", () => {
    if (res.writableFinished) return;
    gone.abort();
    // A claim whose answer never reached the agent: its tasks go back to the queue.
    for (const c of scope.claimed) void svc.deps.coordinator.returnUndelivered(c.agentId, c.tasks).catch(() => {});
  });
  try {
    const token = await svc.deps.tokens.verify(bearer(req));
    // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
    if (req.method !== "POST") return jsonRpcError(res, 405, -32000, `${req.method} is not supported: this MCP endpoint is stateless; use POST.`, { allow: "POST" });
    const body = await readJson(req, LIMITS.requestBodyBytes);
    const server = new McpServer({ name: "switchboard", version: "1.0.0" });
    registerTools(server, svc, { principal: { kind: "token", token }, ip: clientIp(req), token }, scope);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (res.headersSent) return;
    if (e instanceof AppError) {
      const status = HTTP_STATUS[e.code];
      return jsonRpcError(res, status, status === 401 ? -32001 : -32000, e.message, status === 401 ? { "www-authenticate": "Bearer" } : {});
    }
    log.error("mcp request failed", { err: String((e as Error)?.stack ?? e) });
    jsonRpcError(res, 500, -32603, "Internal server error.");
  }
}
