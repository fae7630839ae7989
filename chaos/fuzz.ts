// Hostile traffic, generated with fast-check, sent while the real work goes on. What it checks
// is only what must hold for ANY input: never a 5xx (and never an INTERNAL ack on a socket);
// /healthz answering fast is checked by the out-of-process probe (monitor.ts).
//
// Safety rules, so the flood attacks the server and not the machine or the harness's own work:
// - No generated shell command ever reaches a runner: every `command` field in a generated body
//   is replaced by a harmless constant (sanitizeCommands; property-tested in fuzz.test.ts), and
//   bodies that create tasks ask for a capability no agent has.
// - Real ids (tasks, agents, runs, templates of the harness) are used only where the caller must
//   be refused (no token, a garbage token, a read token, another agent token's agent) or with
//   GET. A submit/admin token only ever sees made-up ids on changing routes, so the flood cannot
//   legitimately cancel, retry or drain the harness's work (that would be a test of our fuzzer).
// - The fuzzer's agent token is its own: registering under a runner's name must be refused.
import fc from "fast-check";
import net from "node:net";
import { io, type Socket } from "socket.io-client";
import { restApi, templateOf, type RestRoute } from "@/lib/api/rest";
import { AGENT_SOCKET_RULES, MCP_RULES, TRPC_RULES } from "@/lib/policy";
import { rawRequest, type Observer } from "./http";

/** Every REST route's `METHOD /path`, from the one route table. */
const routes = (Object.values(restApi) as RestRoute[]).map((r) => ({ template: templateOf(r) }));

export type Cred = "none" | "garbage" | "read" | "submit" | "agent" | "admin";
export interface FuzzTokens {
  read: string;
  submit: string;
  agent: string;
  admin: string;
}
export interface RealIds {
  tasks: string[];
  agents: string[];
  runs: string[];
  templates: string[];
}

/** A command that does nothing; the only string command a generated body may carry. */
export const SAFE_COMMAND = "true";
/** A capability no agent has: tasks the fuzzer manages to create wait, then die by queue timeout. */
export const NOBODY = "fuzz-nobody";

// Placeholders expanded at send time: huge values are not built inside fast-check (cheap
// shrinking-free sampling), and deep nesting cannot go through JSON.stringify (it recurses).
export class Huge {
  constructor(readonly n: number) {}
}
export class Deep {
  constructor(readonly depth: number) {}
}

/** Sets an own property even for "__proto__" (plain assignment would change the prototype). */
export function withOwn(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) Object.defineProperty(copy, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const without = (obj: Record<string, unknown>, key: string) => {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) if (k !== key) Object.defineProperty(copy, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
  return copy;
};

/**
 * Every `command` anywhere in the value becomes SAFE_COMMAND unless it is not a string (a type
 * error the server must refuse) or a Huge placeholder (over the length limit). Walks arrays and
 * objects, own keys only, and stops at a depth where nothing legitimate lives.
 */
export function sanitizeCommands(v: unknown, depth = 0): unknown {
  if (depth > 20 || v === null || typeof v !== "object" || v instanceof Huge || v instanceof Deep) return v;
  if (Array.isArray(v)) return v.map((x) => sanitizeCommands(x, depth + 1));
  let out = v as Record<string, unknown>;
  for (const k of Object.keys(out)) {
    const x = out[k];
    if (k === "command" && typeof x === "string" && x !== SAFE_COMMAND) out = withOwn(out, k, SAFE_COMMAND);
    else if (x !== null && typeof x === "object") out = withOwn(out, k, sanitizeCommands(x, depth + 1));
  }
  return out;
}

/** JSON text of a value with its placeholders expanded (Huge → a long string, Deep → nested arrays). */
export function serialize(v: unknown): string {
  const deep: number[] = [];
  const text = JSON.stringify(v, (_k, x) => {
    if (x instanceof Huge) return "x".repeat(x.n);
    if (x instanceof Deep) {
      deep.push(x.depth);
      return `\u0000DEEP${deep.length - 1}\u0000`;
    }
    return x;
  });
  if (text === undefined) return "null";
  return text.replace(/"\\u0000DEEP(\d+)\\u0000"/g, (_m, i) => "[".repeat(deep[Number(i)]) + "]".repeat(deep[Number(i)]));
}

// ---- Arbitraries ----

const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "then", "toJSON");
const nastyString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\ud800",
  "💥".repeat(300),
  "%00",
  "../../../../etc/passwd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "${jndi:ldap://127.0.0.1/x}",
  "{{constructor.constructor('return process')()}}",
  "\r\nX-Injected: 1",
  "a".repeat(65),
  "NaN",
  "-1",
  "1e309",
);
const anyString = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), nastyString);
const anyJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308, true, false, null, [], {}) },
);
const huge = fc.integer({ min: 70_000, max: 1_200_000 }).map((n) => new Huge(n));
const deep = fc.integer({ min: 2_000, max: 200_000 }).map((d) => new Deep(d));

/** A valid body, then one mutation of it: kept, a key dropped or added, a wrong type, a huge or deeply nested value. */
export function mutated(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant("x");
  return fc
    .oneof(
      { weight: 2, arbitrary: fc.constant(base) },
      { weight: 2, arbitrary: key.map((k) => without(base, k)) },
      { weight: 3, arbitrary: fc.tuple(fc.oneof(hostileKey, fc.string()), anyJson).map(([k, v]) => withOwn(base, k, v)) },
      { weight: 3, arbitrary: fc.tuple(key, anyJson).map(([k, v]) => withOwn(base, k, v)) },
      { weight: 1, arbitrary: fc.tuple(key, huge).map(([k, v]) => withOwn(base, k, v)) },
      { weight: 1, arbitrary: fc.tuple(key, deep).map(([k, v]) => withOwn(base, k, v)) },
      { weight: 1, arbitrary: fc.tuple(hostileKey, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withOwn({}, k, v)) },
      { weight: 1, arbitrary: anyJson },
      { weight: 1, arbitrary: fc.constant([base]) },
    )
    .map((v) => sanitizeCommands(v));
}

/** Valid bodies per REST route (the fuzzer mutates from here). Nothing here can run anywhere. */
const TASK_BASE = { title: "fuzz task", command: SAFE_COMMAND, requires: [NOBODY], retry: { maxAttempts: 1, backoffMs: 0 }, queueTimeoutMs: 2000 };
export const REST_BASE: Record<string, Record<string, unknown>> = {
  "POST /agents/register": { name: "fuzz-http-agent", capabilities: ["fuzz"], slots: 1 },
  "POST /agents/:id/heartbeat": { cpu: 1, memoryMb: 10, taskIds: [] },
  "POST /agents/:id/claim": {},
  "POST /agents/:id/drain": {},
  "POST /tasks/:id/accept": { attempt: 1 },
  "POST /tasks/:id/progress": { attempt: 1, percent: 50, logs: [{ stream: "stdout", line: "fuzz" }] },
  "POST /tasks/:id/complete": { attempt: 1, result: { fuzz: true } },
  "POST /tasks/:id/fail": { attempt: 1, error: "fuzz", retryable: true },
  "POST /tasks/:id/release": { attempt: 1, reason: "fuzz" },
  "POST /tasks": TASK_BASE,
  "POST /tasks/:id/cancel": {},
  "POST /tasks/:id/retry": {},
  "POST /workflows": { source: `name: fuzz-wf\nsteps:\n  - id: a\n    requires: [${NOBODY}]\n    command: "${SAFE_COMMAND}"\n`, format: "yaml" },
  "POST /workflows/:name/runs": { params: {} },
  "POST /runs/:id/cancel": {},
  "POST /runs/:id/rerun": { fromStep: "a" },
  "POST /runs/:id/steps/:step/approve": { comment: "fuzz" },
  "POST /runs/:id/steps/:step/reject": { comment: "fuzz" },
  "POST /agents/:id/messages": { to: { agent: "fuzz-nobody-agent" }, body: "fuzz" },
  "POST /agents/:id/inbox/ack": { upTo: 1 },
  "POST /messages": { to: { channel: "fuzz" }, body: "fuzz" },
  "POST /tokens": { name: "fuzz-token", scope: "read" },
};

const TRPC_BASE: Record<string, Record<string, unknown>> = {
  "tasks.submit": TASK_BASE,
  "tasks.find": { limit: 10 },
  "runs.start": { name: "fuzz-missing-template", params: {} },
  "templates.validate": { source: "name: x\nsteps: []\n", format: "yaml" },
  "messages.send": { to: { channel: "fuzz" }, body: "fuzz" },
  "users.create": { username: "fuzz-user", password: "fuzz-password-1", role: "viewer" },
  "tokens.create": { name: "fuzz", scope: "read" },
};

const MCP_BASE: Record<string, Record<string, unknown>> = {
  register_agent: { name: "fuzz-mcp-agent", capabilities: ["fuzz"] },
  list_agents: {},
  send_message: { agent: "fuzz-mcp-agent", to: { channel: "fuzz" }, body: "fuzz" },
  read_inbox: { agent: "fuzz-mcp-agent" },
  ack_messages: { agent: "fuzz-mcp-agent", upTo: 1 },
  create_task: { title: "fuzz", command: SAFE_COMMAND, requires: [NOBODY] },
  get_task: { id: "t_fuzz" },
  report_progress: { taskId: "t_fuzz", attempt: 1, percent: 5 },
  complete_task: { taskId: "t_fuzz", attempt: 1, result: {} },
  get_workflow_run: { id: "r_fuzz" },
};

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"];
const fakeId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), fc.constantFrom("t_000000", "..", "%2e%2e", "a".repeat(65), "%00", "%E0%A4%A", "null", "undefined", "__proto__"));
const TOKENLESS: Cred[] = ["none", "garbage", "read", "agent"];

export interface HttpCase {
  kind: "http";
  label: string;
  method: string;
  path: string;
  cred: Cred;
  headers: Record<string, string>;
  body?: { t: "json"; value: unknown } | { t: "text"; text: string } | { t: "bytes"; bytes: number[] } | { t: "oversize"; n: number; declare: "true" | "chunked" | "huge" };
}
export interface RawCase {
  kind: "raw";
  label: string;
  bytes: number[];
}
export type FuzzCase = HttpCase | RawCase;

const malformedJson = fc.oneof(
  fc.constantFrom("{", "}", "[1,]", "{'a':1}", "NaN", "\uFEFF{}", '{"a":1}{"b":2}', '{"a":"\\u00"}', "nul", '{"a":1e999999}', "-", '"unterminated', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'),
  fc.jsonValue().chain((v) => {
    const t = JSON.stringify(v) ?? "null";
    return fc.integer({ min: 0, max: Math.max(0, t.length - 1) }).map((i) => t.slice(0, i));
  }),
  fc.string(),
);

/** Fills a route template's :params: real ids only for refused callers or GETs (see the header). */
function pathFor(template: string, method: string, cred: Cred, ids: RealIds): fc.Arbitrary<string> {
  const names = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const mayUseReal = method === "GET" || TOKENLESS.includes(cred);
  const pick = (name: string): fc.Arbitrary<string> => {
    const pool = name === "name" ? ids.templates : name === "step" ? [] : template.includes("/agents/") ? ids.agents : template.includes("/runs/") ? ids.runs : ids.tasks;
    const real = mayUseReal && pool.length ? fc.constantFrom(...pool) : fakeId;
    return fc.oneof({ weight: 2, arbitrary: real }, { weight: 1, arbitrary: fakeId }).map((s) => encodeURIComponent(s));
  };
  const path = template.slice(template.indexOf(" ") + 1);
  return fc.tuple(...names.map(pick)).map((vals) => {
    let i = 0;
    return path.replace(/:\w+/g, () => vals[i++]);
  });
}

const queryArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.dictionary(anyString, anyString, { maxKeys: 4 }).map((d) => "?" + new URLSearchParams(d as Record<string, string>).toString()) },
  { weight: 2, arbitrary: fc.constantFrom("?limit=-1", "?limit=1e9", "?wait=1e9", "?wait=-5", "?wait=0.01", "?status=nope", "?cursor=%00", "?after=-1", "?version=0", "?limit=10&limit=20", "?search=%25%25", "?batch=1&input=%7B") },
);

export function fuzzCaseArb(ids: RealIds): fc.Arbitrary<FuzzCase> {
  const cred = fc.constantFrom<Cred>("none", "garbage", "read", "submit", "agent", "admin");
  const rest = fc.tuple(fc.constantFrom(...routes.map((r) => r.template)), cred, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...METHODS)).chain(([template, c, dice, otherMethod]) => {
    // 30%: a method the route does not have (405, or another route's handler).
    const method = dice < 3 ? otherMethod : template.split(" ")[0];
    const base = REST_BASE[template] ?? {};
    return fc.tuple(pathFor(template, method, c, ids), queryArb, mutated(base)).map(
      ([p, q, value]): HttpCase => ({ kind: "http", label: `REST ${template}`, method, path: `/api/v1${p}${q}`, cred: c, headers: {}, body: method === "GET" && dice !== 9 ? undefined : { t: "json", value } }),
    );
  });

  const procedures = Object.keys(TRPC_RULES);
  const trpc = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...procedures) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }), cred, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...METHODS)).chain(([proc, c, shape, oddMethod]) => {
    const perm = TRPC_RULES[proc];
    const isQuery = perm === "read" || perm === "public";
    const mayUseReal = isQuery || TOKENLESS.includes(c);
    const idPool = [...ids.tasks, ...ids.agents, ...ids.runs];
    const id = mayUseReal && idPool.length ? fc.oneof(fc.constantFrom(...idPool), fakeId) : fakeId;
    const input = fc.oneof(TRPC_BASE[proc] ? mutated(TRPC_BASE[proc]) : fc.constant(undefined), id.chain((x) => mutated({ id: x })), anyJson);
    return input.map((inp): HttpCase => {
      const enc = encodeURIComponent(proc);
      if (shape <= 4 && isQuery) return { kind: "http", label: `tRPC ${proc}`, method: "GET", path: `/api/trpc/${enc}?input=${encodeURIComponent(serialize(sanitizeCommands(inp)))}`, cred: c, headers: {} };
      if (shape <= 6) return { kind: "http", label: `tRPC ${proc}`, method: "POST", path: `/api/trpc/${enc}`, cred: c, headers: {}, body: { t: "json", value: inp } };
      if (shape === 7) {
        // A batch of many procedures in one path.
        const many = Array.from({ length: 20 }, (_, i) => procedures[(i * 7) % procedures.length]).join(",");
        return { kind: "http", label: "tRPC batch", method: isQuery ? "GET" : "POST", path: `/api/trpc/${many}?batch=1${isQuery ? `&input=${encodeURIComponent(serialize(sanitizeCommands({ 0: inp, 5: inp })))}` : ""}`, cred: c, headers: {}, body: isQuery ? undefined : { t: "json", value: { 0: inp, 3: inp } } };
      }
      return { kind: "http", label: `tRPC ${proc} (odd method)`, method: oddMethod, path: `/api/trpc/${enc}?batch=${shape}`, cred: c, headers: {}, body: { t: "json", value: inp } };
    });
  });

  const tools = Object.keys(MCP_RULES);
  const mcpAccept = { accept: "application/json, text/event-stream" };
  const mcp = fc.tuple(cred, fc.integer({ min: 0, max: 9 }), fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tools) }, { weight: 1, arbitrary: fc.string() }), fc.constantFrom("GET", "DELETE", "PUT")).chain(([c, shape, tool, oddMethod]) => {
    // Real task ids are safe here with every token: no MCP tool needs more than "agent", and an
    // agent token that does not hold the task must be refused.
    const idPool = ids.tasks.length ? fc.oneof(fc.constantFrom(...ids.tasks), fakeId) : fakeId;
    const args = idPool.chain((tid) => mutated({ ...(MCP_BASE[tool] ?? {}), ...("taskId" in (MCP_BASE[tool] ?? {}) ? { taskId: tid } : {}) }));
    return fc.tuple(args, anyJson, fc.integer()).map(([a, junk, id]): HttpCase => {
      const call = { jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: a } };
      const bodies: unknown[] = [
        call,
        call,
        call,
        { jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "fuzz", version: "0" } } },
        { jsonrpc: "2.0", id, method: "tools/list" },
        [call, call, { jsonrpc: "2.0", method: "notifications/initialized" }],
        { jsonrpc: "1.0", id: junk, method: junk },
        junk,
        withOwn(call, "__proto__", { admin: true }),
        { jsonrpc: "2.0", id, method: "resources/read", params: { uri: "file:///etc/passwd" } },
      ];
      const method = shape === 9 ? oddMethod : "POST";
      return { kind: "http", label: `MCP ${tool} #${shape}`, method, path: "/mcp", cred: c, headers: shape === 8 ? { accept: "text/html" } : mcpAccept, body: { t: "json", value: bodies[shape] } };
    });
  });

  const oddPaths = fc.tuple(
    fc.constantFrom(
      "/api/v1",
      "/api/v1/",
      "/api/v1/tasks/",
      "/api/v1//tasks",
      "/api/v1/tasks/%00",
      "/api/v1/tasks/..%2f..%2fetc%2fpasswd",
      "/api/trpc",
      "/api/trpc/",
      "/api/trpc/%",
      "/api/auth/login",
      "/api/auth/logout",
      "/api/auth/nothing",
      "/mcp/",
      "/MCP",
      "/api",
      "/api/",
      "/socket.io/?EIO=4&transport=polling",
      "/socket.io/?EIO=4&transport=polling&sid=nope",
      "/socket.io/?EIO=3&transport=websocket",
      "/healthz?x=1",
      "/",
      "/login",
      "/%2e%2e/%2e%2e/etc/passwd",
      `/api/v1/tasks/${"a".repeat(8000)}`,
    ),
    fc.constantFrom(...METHODS),
    cred,
    fc.oneof(anyJson, mutated({ username: "admin", password: "wrong-password" })),
  ).map(([p, method, c, value]): HttpCase => ({ kind: "http", label: `odd path ${p.slice(0, 40)}`, method, path: p, cred: c, headers: {}, body: method === "GET" || method === "HEAD" ? undefined : { t: "json", value } }));

  const anyRoutePath = fc.constantFrom(...routes.map((r) => `/api/v1${r.template.slice(r.template.indexOf(" ") + 1).replace(/:\w+/g, "x1")}`), "/mcp", "/api/trpc/tasks.submit", "/api/auth/login");
  const malformed = fc.tuple(anyRoutePath, cred, malformedJson, fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "")).map(
    ([p, c, text, ct]): HttpCase => ({ kind: "http", label: `malformed JSON to ${p}`, method: "POST", path: p, cred: c, headers: ct ? { "content-type": ct } : {}, body: { t: "text", text } }),
  );
  const bytes = fc.tuple(anyRoutePath, cred, fc.uint8Array({ maxLength: 2048 })).map(([p, c, b]): HttpCase => ({ kind: "http", label: `random bytes to ${p}`, method: "POST", path: p, cred: c, headers: { "content-type": "application/json" }, body: { t: "bytes", bytes: [...b] } }));
  const oversize = fc.tuple(anyRoutePath, cred, fc.integer({ min: 1024 * 1024 + 1, max: 3 * 1024 * 1024 }), fc.constantFrom<"true" | "chunked" | "huge">("true", "chunked", "huge")).map(
    ([p, c, n, declare]): HttpCase => ({ kind: "http", label: `oversize (${declare}) to ${p}`, method: "POST", path: p, cred: c, headers: {}, body: { t: "oversize", n, declare } }),
  );
  const raw = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b): RawCase => ({ kind: "raw", label: "raw bytes", bytes: [...b] })),
    fc.constantFrom(
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000\r\n\r\n",
      "GET /healthz HTTP/9.9\r\n\r\n",
      `GET /api/v1/agents HTTP/1.1\r\nHost: x\r\n${"X-Big: " + "a".repeat(20_000)}\r\n\r\n`,
      "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{\"title\":",
    ).map((s): RawCase => ({ kind: "raw", label: `raw HTTP ${JSON.stringify(s.slice(0, 30))}`, bytes: [...Buffer.from(s, "latin1")] })),
  );

  return fc.oneof(
    { weight: 45, arbitrary: rest },
    { weight: 14, arbitrary: trpc },
    { weight: 12, arbitrary: mcp },
    { weight: 6, arbitrary: oddPaths },
    { weight: 8, arbitrary: malformed },
    { weight: 4, arbitrary: bytes },
    { weight: 4, arbitrary: oversize },
    { weight: 2, arbitrary: raw },
  );
}

// ---- Sending ----

function authHeader(cred: Cred, tokens: FuzzTokens): Record<string, string> {
  if (cred === "none") return {};
  if (cred === "garbage") return { authorization: fc.sample(fc.constantFrom("Bearer sb_0000000000000000", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x".repeat(5000), "bearer\tsb_x"), 1)[0] };
  return { authorization: `Bearer ${tokens[cred]}` };
}

function bodyBytes(b: HttpCase["body"]): { data?: Buffer; headers: Record<string, string | number> } {
  if (!b) return { headers: {} };
  if (b.t === "json") {
    // Sanitized again here: whatever path a value took, no generated command leaves the harness.
    const data = Buffer.from(serialize(sanitizeCommands(b.value)));
    return { data, headers: { "content-type": "application/json", "content-length": data.length } };
  }
  if (b.t === "text") {
    const data = Buffer.from(b.text);
    return { data, headers: { "content-length": data.length } };
  }
  if (b.t === "bytes") {
    const data = Buffer.from(b.bytes);
    return { data, headers: { "content-length": data.length } };
  }
  const data = Buffer.from(`{"title":"${"x".repeat(b.n)}"}`);
  if (b.declare === "chunked") return { data, headers: { "content-type": "application/json", "transfer-encoding": "chunked" } };
  if (b.declare === "huge") return { data: Buffer.from("{}"), headers: { "content-type": "application/json", "content-length": 10 ** 12 } };
  return { data, headers: { "content-type": "application/json", "content-length": data.length } };
}

function sendRaw(port: number, bytes: number[], timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => s.destroy(), timeoutMs);
    s.on("connect", () => s.write(Buffer.from(bytes)));
    s.on("data", (d) => {
      if (answer.length < 4096) answer += d.toString("latin1");
    });
    s.on("error", () => undefined);
    s.on("close", () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

export interface FuzzStats {
  sent: number;
  byStatus: Record<string, number>;
  /** A few requests that got no HTTP answer at all (reset, timeout), to tell a hang from a refusal. */
  noAnswer: string[];
  sockets: number;
  socketEvents: number;
  socketNoAnswer: number;
  raw: number;
}

export interface FuzzOptions {
  port: () => number;
  url: () => string;
  tokens: FuzzTokens;
  ids: () => RealIds;
  observer: Observer;
  seed: number;
  ratePerSec: number;
  concurrency: number;
  socketWorkers: number;
}

/** Runs the flood until stop() resolves; returns what was sent. */
export class Fuzzer {
  readonly stats: FuzzStats = { sent: 0, byStatus: {}, noAnswer: [], sockets: 0, socketEvents: 0, socketNoAnswer: 0, raw: 0 };
  private running = false;
  private workers: Promise<void>[] = [];
  private seq = 0;
  private tokensAvailable = 0;
  private lastRefill = 0;
  private arb: fc.Arbitrary<FuzzCase> | null = null;
  private arbIds = "";
  private batch: FuzzCase[] = [];

  constructor(private readonly opts: FuzzOptions) {}

  start() {
    this.running = true;
    this.lastRefill = performance.now();
    for (let i = 0; i < this.opts.concurrency; i++) this.workers.push(this.httpWorker());
    for (let i = 0; i < this.opts.socketWorkers; i++) this.workers.push(this.socketWorker(i));
  }

  async stop() {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** A shared token bucket, so the flood stays at the configured rate whatever the concurrency. */
  private async admit() {
    for (;;) {
      const now = performance.now();
      this.tokensAvailable = Math.min(this.opts.ratePerSec / 5, this.tokensAvailable + ((now - this.lastRefill) / 1000) * this.opts.ratePerSec);
      this.lastRefill = now;
      if (this.tokensAvailable >= 1) {
        this.tokensAvailable -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, 1000 / this.opts.ratePerSec));
    }
  }

  private next(): FuzzCase {
    const ids = this.opts.ids();
    const key = `${ids.tasks.length}/${ids.agents.length}/${ids.runs.length}/${ids.templates.length}/${ids.tasks[0] ?? ""}`;
    if (!this.arb || key !== this.arbIds) {
      this.arb = fuzzCaseArb(ids);
      this.arbIds = key;
      this.batch = [];
    }
    if (this.batch.length === 0) this.batch = fc.sample(this.arb, { numRuns: 50, seed: this.opts.seed + this.seq++ });
    return this.batch.pop()!;
  }

  private async httpWorker() {
    while (this.running) {
      await this.admit();
      if (!this.running) break;
      const c = this.next();
      this.stats.sent++;
      if (c.kind === "raw") {
        this.stats.raw++;
        const answer = await sendRaw(this.opts.port(), c.bytes);
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
        this.count(status, c.label, "");
        this.opts.observer.record("fuzz", "RAW", c.label, Buffer.from(c.bytes).toString("latin1").slice(0, 300), { status, text: answer, ms: 0 });
        continue;
      }
      const { data, headers } = bodyBytes(c.body);
      const a = await rawRequest({ port: this.opts.port(), method: c.method, path: c.path, headers: { ...headers, ...c.headers, ...authHeader(c.cred, this.opts.tokens) }, body: data, timeoutMs: 8_000 });
      this.count(a.status, `${c.label} ${c.method} ${c.path.slice(0, 80)}`, a.error ?? "");
      const excerpt = `${c.label} cred=${c.cred} ${data ? data.subarray(0, 300).toString("utf8") : ""}`;
      this.opts.observer.record("fuzz", c.method, c.path, excerpt, a);
    }
  }

  private count(status: number, what: string, error: string) {
    const k = status === 0 ? "none" : String(status);
    this.stats.byStatus[k] = (this.stats.byStatus[k] ?? 0) + 1;
    if (status === 0 && !what.startsWith("raw") && this.stats.noAnswer.length < 5) this.stats.noAnswer.push(`${what} (${error})`);
  }

  /** Sockets on /agents with good, bad and no tokens, emitting known events with junk and unknown events. */
  private async socketWorker(index: number) {
    let round = 0;
    while (this.running) {
      round++;
      const seed = this.opts.seed * 31 + index * 100_003 + round;
      const [c] = fc.sample(fc.constantFrom<Cred>("agent", "agent", "agent", "none", "garbage", "read", "admin"), { numRuns: 1, seed });
      const auth = c === "none" ? {} : c === "garbage" ? { token: fc.sample(fc.oneof(fc.string(), fc.jsonValue()), { numRuns: 1, seed })[0] } : { token: this.opts.tokens[c as keyof FuzzTokens] };
      this.stats.sockets++;
      const socket: Socket = io(new URL("/agents", this.opts.url()).toString(), { auth, transports: ["websocket"], reconnection: false, timeout: 3000, forceNew: true });
      const connected = await new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("connect_error", () => resolve(false));
        setTimeout(() => resolve(false), 3500);
      });
      if (connected) await this.socketBurst(socket, seed);
      socket.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async socketBurst(socket: Socket, seed: number) {
    const events = [...Object.keys(AGENT_SOCKET_RULES), "agent:register", "agent:register"];
    const eventArb = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...events) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 1, arbitrary: fc.constantFrom("task:assigned", "messages:received", "__proto__", "constructor", "ping") });
    const cardBase = { name: `fuzz-sock-${seed % 1000}`, capabilities: ["fuzz"], slots: 1 };
    const argArb = fc.oneof(mutated(cardBase), mutated({ taskId: "t_fuzz", attempt: 1, result: {} }), mutated({ messages: [{ to: { channel: "fuzz" }, body: "fuzz" }] }), mutated({ upTo: 1 }), anyJson);
    const shots = fc.sample(fc.tuple(eventArb, argArb, fc.integer({ min: 0, max: 9 })), { numRuns: 20, seed });
    const answers: Promise<void>[] = [];
    for (const [event, arg, shape] of shots) {
      if (!socket.connected || !this.running) break;
      await this.admit();
      this.stats.socketEvents++;
      const engine = (socket.io as unknown as { engine: { write(m: string): void } }).engine;
      try {
        // The client's encoder recurses (and so cannot send deep nesting): those go raw, shape 7.
        const payload = shape === 9 ? Buffer.alloc(3 * 1024 * 1024, 120) : JSON.parse(serialize(arg).includes("[[[[[[[[") ? "null" : serialize(arg));
        if (shape === 7) {
          // A well-formed Socket.IO event whose argument nests deeper than JSON.stringify can go.
          const d = 5_000 + (seed % 50_000);
          engine.write(`2/agents,[${JSON.stringify(event)},{"taskId":"t_fuzz","attempt":1,"result":${"[".repeat(d)}${"]".repeat(d)},"payload":${"[".repeat(d)}${"]".repeat(d)}}]`);
        } else if (shape === 8) {
          // Garbage under Socket.IO: a raw packet the socket.io parser cannot read.
          engine.write(fc.sample(fc.oneof(fc.string(), fc.constantFrom("2/agents,[", '2/agents,["agent:register",', "0/agents,{x", "5", "6", "3/agents,99[]")), { numRuns: 1, seed: seed + shape })[0]);
        } else if (shape <= 1) {
          socket.emit(event, payload); // no ack callback
        } else if (shape === 2) {
          socket.emit(event, payload, "not-a-function", 42);
        } else {
          answers.push(
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                // Events the server does not listen to get no answer by design, and a socket the
                // server closed (after garbage) answers nothing: count only known events on a live socket.
                if (events.includes(event) && socket.connected) this.stats.socketNoAnswer++;
                resolve();
              }, 3000);
              socket.emit(event, payload, (ack: unknown) => {
                clearTimeout(timer);
                const a = ack as { ok?: boolean; error?: { code?: string; message?: string } };
                const status = a && a.ok === false ? (a.error?.code === "INTERNAL" ? 500 : 400) : 200;
                this.opts.observer.record("fuzz-socket", "EMIT", event, serialize(arg).slice(0, 300), { status, text: JSON.stringify(ack ?? null), ms: 0 });
                resolve();
              });
            }),
          );
        }
      } catch {
        /* the client refused to emit (a reserved event name): nothing reached the server */
      }
    }
    await Promise.all(answers);
  }
}
