// [TRACING] The real server with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a real OTLP/HTTP
// receiver on 127.0.0.1 (a plain node:http server collecting the exporter's JSON posts), a real
// runner agent and a real HTTP agent: a task submitted with a `traceparent` header ends up in the
// caller's trace (request span → task span → queue and attempt spans → socket reports), and the
// task's own process sees TRACEPARENT naming its attempt span.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, dataOf, trpc } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { ROOT, adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const PARENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
const PARENT_SPAN = "b7ad6b7169203331";
const TRACEPARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  attributes: Record<string, unknown>;
  status: number;
  service: unknown;
}

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.arrayValue?.values?.map(valueOf)));

let receiver: http.Server;
const posts: { path: string; contentType: string }[] = [];
const spans: Span[] = [];
let server: ServerHandle;
let agentToken = "";
let opsToken = "";
const agents: AgentHandle[] = [];
let python: ChildProcess | null = null;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push({ path: req.url ?? "", contentType: String(req.headers["content-type"]) });
      const doc = JSON.parse(body) as { resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of doc.resourceSpans) {
        const service = valueOf(rs.resource?.attributes?.find((a) => a.key === "service.name")?.value ?? {});
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || null,
              name: s.name,
              attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
              status: s.status?.code ?? 0,
              service,
            });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const port = (receiver.address() as AddressInfo).port;
  server = await startServerProcess({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: "switchboard-int", OTEL_BSP_SCHEDULE_DELAY: "100" },
  });
  agentToken = await createToken(server, "trace-agents");
  opsToken = await createToken(server, "trace-ops", "submit");
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  if (python && python.exitCode === null && python.signalCode === null) {
    const exited = new Promise((r) => python!.once("exit", r));
    python.kill("SIGKILL");
    await exited;
  }
  await server?.stop();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

const ops = () => api(server.url, { token: opsToken });
const spanWhere = (what: string, pred: (s: Span) => boolean) => waitFor(() => spans.find(pred), what, 20_000);
const ERROR = 2;

describe("[TRACING] OTLP export", () => {
  it("a task submitted with a traceparent: request, task, queue, attempts and reports in the caller's trace, TRACEPARENT in the task", async () => {
    agents.push(startAgentProcess({ server: server.url, token: agentToken, name: "tracer-1", capabilities: ["trace"] }));
    await waitFor(async () => (await ops().get("/api/v1/agents")).body.agents?.some((a: { name: string; status: string }) => a.name === "tracer-1" && a.status !== "offline"), "tracer-1 online", 30_000);

    const submitted = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${opsToken}`, "content-type": "application/json", traceparent: TRACEPARENT },
      body: JSON.stringify({
        title: "traced",
        // The first attempt fails, the second prints the trace context it was given.
        command: 'if [ "$SWITCHBOARD_TASK_ATTEMPT" = 1 ]; then echo "first try fails" >&2; exit 3; fi; echo "tp=$TRACEPARENT"',
        requires: ["trace"],
        retry: { maxAttempts: 2, backoffMs: 0 },
      }),
    });
    expect(submitted.status).toBe(201);
    const id = ((await submitted.json()) as { task: { id: string } }).task.id;
    const done = await waitFor(async () => {
      const t = (await ops().get(`/api/v1/tasks/${id}`)).body;
      return t.task?.status === "succeeded" ? t : null;
    }, "the task to succeed", 30_000);
    const printed = /tp=(00-([0-9a-f]{32})-([0-9a-f]{16})-01)/.exec(done.task.result.stdoutTail.join("\n"));
    expect(printed, `stdout: ${JSON.stringify(done.task.result)}`).not.toBeNull();
    const [, , printedTrace, printedSpan] = printed!;
    expect(printedTrace).toBe(PARENT_TRACE);

    const request = await spanWhere("the submit request's span", (s) => s.name === "POST /api/v1/tasks" && s.parentSpanId === PARENT_SPAN);
    expect(request.traceId).toBe(PARENT_TRACE);
    expect(request.attributes["http.response.status_code"]).toBe(201);
    expect(request.service).toBe("switchboard-int");

    const task = await spanWhere("the task span", (s) => s.name === "task" && s.attributes["switchboard.task.id"] === id);
    expect(task.traceId).toBe(PARENT_TRACE);
    expect(task.parentSpanId).toBe(request.spanId);
    expect(task.attributes).toMatchObject({ "switchboard.task.status": "succeeded", "switchboard.task.attempts": 2, "switchboard.task.requires": ["trace:1"] });

    const attempts = await waitFor(() => {
      const a = spans.filter((s) => s.name === "task.attempt" && s.attributes["switchboard.task.id"] === id);
      return a.length === 2 ? a.sort((x, y) => Number(x.attributes["switchboard.attempt"]) - Number(y.attributes["switchboard.attempt"])) : null;
    }, "two attempt spans");
    for (const a of attempts) expect([a.traceId, a.parentSpanId]).toEqual([PARENT_TRACE, task.spanId]);
    expect(attempts[0].status).toBe(ERROR);
    expect(attempts[0].attributes).toMatchObject({ "switchboard.attempt.outcome": "failed", "switchboard.agent.name": "tracer-1" });
    expect(attempts[1].attributes["switchboard.attempt.outcome"]).toBe("succeeded");
    // The process's TRACEPARENT is the span of the attempt that ran it.
    expect(attempts[1].spanId).toBe(printedSpan);

    expect(spans.some((s) => s.name === "task.queue" && s.attributes["switchboard.task.id"] === id && s.parentSpanId === task.spanId)).toBe(true);
    const report = await spanWhere("the socket report", (s) => s.name === "socket task:complete" && s.attributes["switchboard.task.id"] === id);
    expect([report.traceId, report.parentSpanId]).toEqual([PARENT_TRACE, attempts[1].spanId]);
    expect(posts.every((p) => p.path === "/v1/traces" && p.contentType.startsWith("application/json"))).toBe(true);
  });

  it("an HTTP agent's claim carries the traceparent of its attempt span", async () => {
    const agent = api(server.url, { token: agentToken });
    const reg = await agent.post("/api/v1/agents/register", { name: "puller-1", capabilities: ["pull"] });
    expect(reg.status).toBe(200);
    const agentId = reg.body.agentId as string;
    const sub = await ops().post("/api/v1/tasks", { title: "pulled", requires: ["pull"], payload: { n: 1 } });
    expect(sub.status).toBe(201);
    const claimed = await agent.post(`/api/v1/agents/${agentId}/claim?wait=10`);
    expect(claimed.status).toBe(200);
    const [t] = claimed.body.tasks as { taskId: string; attempt: number; traceparent?: string }[];
    expect(t.taskId).toBe(sub.body.task.id);
    const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(t.traceparent ?? "") ?? [];
    expect(spanId, `traceparent ${t.traceparent}`).toBeDefined();
    expect((await agent.post(`/api/v1/tasks/${t.taskId}/accept`, { attempt: t.attempt })).status).toBe(200);
    expect((await agent.post(`/api/v1/tasks/${t.taskId}/complete`, { attempt: t.attempt, result: { ok: true } })).status).toBe(200);
    const attempt = await spanWhere("the pulled task's attempt span", (s) => s.name === "task.attempt" && s.attributes["switchboard.task.id"] === t.taskId);
    expect([attempt.traceId, attempt.spanId]).toEqual([traceId, spanId]);
    // No traceparent on the submit: the task is still under its request, in a new trace.
    const submit = spans.find((s) => s.spanId === spans.find((x) => x.name === "task" && x.attributes["switchboard.task.id"] === t.taskId)?.parentSpanId);
    expect(submit?.name).toBe("POST /api/v1/tasks");
    expect(submit?.parentSpanId).toBeNull();
    await agent.post(`/api/v1/agents/${agentId}/stop`);
  });

  it("over tRPC too: the submitting procedure's span is the task's parent (a task canceled while queued)", async () => {
    const client = trpc(server.url, await adminCookie(server));
    const parentSpan = "a1a2a3a4a5a6a7a8";
    const view = dataOf<{ id: string }>(
      await client.mutate("tasks.submit", { title: "never runs", requires: ["nobody-has-this"] }, { traceparent: `00-${PARENT_TRACE}-${parentSpan}-01` }),
      "submit",
    );
    dataOf(await client.mutate("tasks.cancel", { id: view.id }), "cancel");
    const task = await spanWhere("the canceled task's span", (s) => s.name === "task" && s.attributes["switchboard.task.id"] === view.id);
    const request = spans.find((s) => s.spanId === task.parentSpanId);
    expect([request?.name, request?.parentSpanId, task.traceId]).toEqual(["POST /api/trpc/tasks.submit", parentSpan, PARENT_TRACE]);
    expect(task.attributes["switchboard.task.status"]).toBe("canceled");
    expect(spans.some((s) => s.name === "task.queue" && s.attributes["switchboard.task.id"] === view.id && s.attributes["switchboard.queue.outcome"] === "canceled")).toBe(true);
  });

  it("the Python example agent passes TRACEPARENT to its commands too", async () => {
    let output = "";
    python = spawn("python3", [path.join(ROOT, "examples", "python-agent", "agent.py"), "--server", server.url, "--token", agentToken, "--name", "py-trace", "--capability", "pytrace"], { stdio: ["ignore", "pipe", "pipe"] });
    python.stdout!.on("data", (d) => (output += d));
    python.stderr!.on("data", (d) => (output += d));
    const id = (await ops().post("/api/v1/tasks", { title: "python traced", command: 'echo "tp=$TRACEPARENT"', requires: ["pytrace"] })).body.task.id as string;
    const done = await waitFor(async () => {
      const t = (await ops().get(`/api/v1/tasks/${id}`)).body;
      return t.task?.status === "succeeded" ? t : null;
    }, `the python task to succeed (agent output: ${output})`, 30_000);
    const [, traceId, spanId] = /^tp=00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(done.task.result.lastLine ?? "") ?? [];
    expect(spanId, `result ${JSON.stringify(done.task.result)}`).toBeDefined();
    const attempt = await spanWhere("the python task's attempt span", (s) => s.name === "task.attempt" && s.attributes["switchboard.task.id"] === id);
    expect([attempt.traceId, attempt.spanId, attempt.attributes["switchboard.agent.name"]]).toEqual([traceId, spanId, "py-trace"]);
  });
});
