// [AUTHZ] The authorization matrix: every tRPC procedure, REST route, Socket.IO event and MCP
// tool × every role and token scope (and nobody), against the real server. The lists of
// operations come from the code (the tRPC router, the REST route table, the rule tables), so a
// new one without a rule fails here; what each caller may do comes from an independent,
// hand-written table (authorization-expectations.ts), so a rule changed by mistake fails too.
// Calls carry invalid input: an allowed caller gets a validation or not-found answer, never a
// side effect; a refused one gets the gateway's 401/403.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connectSocket, type Socket } from "socket.io-client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { appRouter } from "@/server/api/root";
import { restApi, templateOf, type RestRoute } from "@/lib/api/rest";

/** Every REST route with its template and permission, from the one route table. */
const routes = (Object.values(restApi) as RestRoute[]).map((r) => ({ method: r.method, template: templateOf(r), permission: REST_RULES[templateOf(r)] }));
import { AGENT_SOCKET_RULES, DASHBOARD_SOCKET_RULES, MCP_RULES, REST_RULES, ROLES, TOKEN_SCOPES, TRPC_RULES, can, type Actor, type Permission } from "@/lib/policy";
import { MCP_TOOL_NAMES } from "@/server/mcp/tools";
import { adminCookie, createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { CALLER_LABELS, EXPECTED, expectedAllowed, type CallerLabel } from "./authorization-expectations";

let server: ServerHandle;

interface Caller {
  label: CallerLabel;
  actor: Actor | null;
  headers: Record<string, string>;
  token?: string;
}
const callers: Caller[] = [];

async function login(username: string, password: string): Promise<string> {
  const r = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  expect(r.status, `login ${username}`).toBe(200);
  return r.headers.get("set-cookie")!.split(";")[0];
}

beforeAll(async () => {
  server = await startServerProcess();
  const admin = await adminCookie(server);
  for (const role of ["operator", "viewer"] as const) {
    const r = await fetch(`${server.url}/api/trpc/users.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: admin, origin: server.url },
      body: JSON.stringify({ username: `matrix-${role}`, password: `${role}-password-1`, role }),
    });
    expect(r.status).toBe(200);
  }
  callers.push({ label: "anonymous", actor: null, headers: {} });
  for (const role of ROLES) {
    const cookie = role === "admin" ? admin : await login(`matrix-${role}`, `${role}-password-1`);
    callers.push({ label: `user:${role}`, actor: { kind: "user", role }, headers: { cookie, origin: server.url } });
  }
  for (const scope of TOKEN_SCOPES) {
    const token = await createToken(server, `matrix-${scope}`, scope);
    callers.push({ label: `token:${scope}`, actor: { kind: "token", scope }, headers: { authorization: `Bearer ${token}` }, token });
  }
  const submittingAgent = await createToken(server, "matrix-agent-submits", "agent", { canSubmit: true });
  callers.push({ label: "token:agent+submit", actor: { kind: "token", scope: "agent", canSubmit: true }, headers: { authorization: `Bearer ${submittingAgent}` }, token: submittingAgent });
  expect(callers.map((c) => c.label).sort()).toEqual([...CALLER_LABELS].sort());
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * What the independent table says — and the rule table must agree with it, so the policy the
 * server enforces and the decision written down cannot drift apart.
 */
function allowed(c: Caller, operation: string, rule: Permission | "public"): boolean {
  const expected = expectedAllowed(operation, c.label);
  const byRule = rule === "public" ? true : can(c.actor, rule);
  expect(byRule, `lib/policy.ts and authorization-expectations.ts disagree on ${operation} × ${c.label}`).toBe(expected);
  return expected;
}

/** Refused by the gateway's policy (not by an object-level check or validation). */
function refusedByPolicy(status: number, message: string): boolean {
  return status === 401 || (status === 403 && /^Not allowed for|No authorization rule/.test(message));
}

describe("[AUTHZ] rule tables match the code", () => {
  it("every tRPC procedure has a rule, and every rule a procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(TRPC_RULES).sort());
  });
  it("every REST route has a rule, and every rule a route", () => {
    expect(routes.map((r) => r.template).sort()).toEqual(Object.keys(REST_RULES).sort());
  });
  it("every MCP tool has a rule", () => {
    expect([...MCP_TOOL_NAMES].sort()).toEqual(Object.keys(MCP_RULES).sort());
  });
  it("the expectation table covers exactly the operations there are", () => {
    const operations = [
      ...Object.keys(TRPC_RULES).map((k) => `trpc ${k}`),
      ...Object.keys(REST_RULES).map((k) => `rest ${k}`),
      ...Object.keys(AGENT_SOCKET_RULES).map((k) => `agents-socket ${k}`),
      ...Object.keys(DASHBOARD_SOCKET_RULES).map((k) => `dashboard-socket ${k}`),
      ...Object.keys(MCP_RULES).map((k) => `mcp ${k}`),
    ];
    expect(operations.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe("[AUTHZ] tRPC procedures × callers", () => {
  it("allows exactly what the rules allow", async () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>;
    const mismatches: string[] = [];
    for (const [path, proc] of Object.entries(procedures)) {
      for (const c of callers) {
        // An invalid input (a bare string): procedures with an input answer 400 once allowed.
        const r =
          proc._def.type === "query"
            ? await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify("matrix"))}`, { headers: c.headers })
            : await fetch(`${server.url}/api/trpc/${path}`, { method: "POST", headers: { ...c.headers, "content-type": "application/json" }, body: JSON.stringify("matrix") });
        const body = (await r.json()) as { error?: { message: string } };
        const refused = refusedByPolicy(r.status, body.error?.message ?? "");
        if (refused === allowed(c, `trpc ${path}`, TRPC_RULES[path])) mismatches.push(`${path} × ${c.label}: ${r.status} ${body.error?.message ?? ""}`);
        expect(r.status, `${path} × ${c.label}`).toBeLessThan(500);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});

describe("[AUTHZ] REST routes × callers", () => {
  it("allows exactly what the rules allow", async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const path = "/api/v1" + route.template.slice(route.method.length + 1).replace(/:\w+/g, "matrix-x");
      for (const c of callers) {
        const r = await fetch(`${server.url}${path}`, {
          method: route.method,
          headers: { ...c.headers, "content-type": "application/json" },
          body: route.method === "POST" || route.method === "DELETE" ? JSON.stringify("matrix") : undefined,
        });
        // A file route (YAML, PDF, CSV) answers its file when allowed; refusals are always JSON.
        const body = (/json/.test(r.headers.get("content-type") ?? "") ? await r.json() : {}) as { error?: { message: string } };
        const refused = refusedByPolicy(r.status, body.error?.message ?? "");
        if (refused === allowed(c, `rest ${route.template}`, route.permission)) mismatches.push(`${route.template} × ${c.label}: ${r.status} ${body.error?.message ?? ""}`);
        expect(r.status, `${route.template} × ${c.label}`).toBeLessThan(500);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});

function socketFor(nsp: string, c: Caller): Socket {
  return connectSocket(`${server.url}${nsp}`, {
    auth: c.token ? { token: c.token } : {},
    extraHeaders: c.headers.cookie ? { cookie: c.headers.cookie } : {},
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
}

const connects = (s: Socket) =>
  new Promise<string | null>((resolve) => {
    s.once("connect", () => resolve(null));
    s.once("connect_error", (e) => resolve(e.message));
  });

describe("[AUTHZ] Socket.IO × callers", () => {
  it("/agents takes only tokens that may act as agents, and answers every event it has a rule for", async () => {
    for (const c of callers) {
      const s = socketFor("/agents", c);
      const refusal = await connects(s);
      expect(refusal === null, `/agents × ${c.label}: ${refusal}`).toBe(allowed(c, "agents-socket agent:register", "agent"));
      if (refusal === null) {
        for (const [event, rule] of Object.entries(AGENT_SOCKET_RULES)) {
          const ack = await new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no answer to ${event}: is it listened to?`)), 3000);
            const done = (r: { ok: boolean; error?: { code: string; message: string } }) => {
              clearTimeout(timer);
              resolve(r);
            };
            if (event === "agent:drain") s.emit(event, done);
            else s.emit(event, "matrix", done);
          });
          expect(refusedByPolicy(ack.error?.code === "FORBIDDEN" ? 403 : 200, ack.error?.message ?? ""), `${event} × ${c.label}`).toBe(!allowed(c, `agents-socket ${event}`, rule));
        }
      }
      s.close();
    }
  });

  it("/dashboard takes anyone who may read", async () => {
    for (const c of callers) {
      const s = socketFor("/dashboard", c);
      const refusal = await connects(s);
      expect(refusal === null, `/dashboard × ${c.label}: ${refusal}`).toBe(allowed(c, "dashboard-socket subscribe", DASHBOARD_SOCKET_RULES.subscribe));
      s.close();
    }
  });
});

describe("[AUTHZ] MCP tools × callers", () => {
  it("allows exactly what the rules allow; browser sessions cannot use /mcp", async () => {
    for (const c of callers) {
      if (!c.token) {
        const r = await fetch(`${server.url}/mcp`, { method: "POST", headers: { ...c.headers, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
        expect(r.status, `/mcp × ${c.label}`).toBe(401);
        continue;
      }
      const client = new Client({ name: "matrix", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${c.token}` } } }));
      for (const [tool, rule] of Object.entries(MCP_RULES)) {
        // Arguments the tool's schema accepts but that name nothing: allowed callers get NOT_FOUND-ish errors.
        const args: Record<string, unknown> = { agent: "matrix-x", id: "matrix-x", taskId: "matrix-x", attempt: 1, upTo: 0, to: { agent: "matrix-x" }, body: "x", title: "x", command: "x", error: "x", name: "matrix-agent", waitSeconds: 0 };
        const r = (await client.callTool({ name: tool, arguments: args }).catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }))) as {
          isError?: boolean;
          content: { text: string }[];
        };
        const text = r.content[0]?.text ?? "";
        const refused = r.isError === true && /FORBIDDEN: Not allowed for/.test(text);
        expect(refused, `${tool} × ${c.label}: ${text}`).toBe(!allowed(c, `mcp ${tool}`, rule));
      }
      await client.close();
    }
  }, 60_000);
});
