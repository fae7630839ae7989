// [METRICS] GET /metrics against the real server and a real runner: a task that succeeds, one
// that fails and one that waits for a capability nobody offers, scraped with a read token and
// read by a strict text-format parser — counters once per end, histograms cumulative with
// matching counts, the fleet's gauges, request durations by route template (never a raw path),
// who may scrape, and the unauthenticated listener of SWITCHBOARD_METRICS_ADDR.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, trpc } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { histogramOf, parsePrometheusText, samplesOf, valueOf, type MetricFamily } from "@/testing/prometheus-text";
import { adminCookie, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const CAP = "metrics-int";
const TASK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, Infinity];

let server: ServerHandle;
let readToken = "";
let agentToken = "";
let ops: ReturnType<typeof api>;
let reader: ReturnType<typeof api>;
let agent: AgentHandle;
const taskIds: string[] = [];

const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${readToken}` }, url = `${server.url}/metrics`) => {
  const r = await fetch(url, { headers });
  return { status: r.status, type: r.headers.get("content-type") ?? "", text: await r.text() };
};
const families = async (): Promise<Map<string, MetricFamily>> => {
  const r = await scrape();
  expect(r.status, r.text).toBe(200);
  return parsePrometheusText(r.text);
};
const statusOf = async (id: string) => (await reader.get(`/api/v1/tasks/${id}`)).body.task.status as string;

beforeAll(async () => {
  server = await startServerProcess({ env: { SWITCHBOARD_METRICS_ADDR: "127.0.0.1:0" } });
  agentToken = await createToken(server, "metrics-agents");
  readToken = await createToken(server, "metrics-read", "read");
  ops = api(server.url, { token: await createToken(server, "metrics-ops", "submit") });
  reader = api(server.url, { token: readToken });
  agent = startAgentProcess({ server: server.url, token: agentToken, name: "metrics-1", capabilities: [CAP], slots: 1 });
  await waitFor(async () => ((await reader.get("/api/v1/agents")).body.agents as { name: string; status: string }[]).some((a) => a.name === "metrics-1" && a.status === "online"), "metrics-1 online", 30_000);
}, 90_000);

afterAll(async () => {
  await agent?.stop("SIGKILL");
  await server?.stop();
});

describe("[METRICS] /metrics in Prometheus text format", () => {
  it("counts a success and a failure once each, with queue waits and run times, and the backlog", async () => {
    const nobody = await ops.post("/api/v1/tasks", { title: "waits for nobody", command: "true", requires: ["metrics-nobody"] });
    expect(nobody.status).toBe(201);
    const ok = await ops.post("/api/v1/tasks", { title: "metrics ok", command: "true", requires: [CAP], retry: { maxAttempts: 1 } });
    const bad = await ops.post("/api/v1/tasks", { title: "metrics fails", command: "echo nope >&2; exit 3", requires: [CAP], retry: { maxAttempts: 1 } });
    taskIds.push(nobody.body.task.id, ok.body.task.id, bad.body.task.id);
    await waitFor(async () => (await statusOf(ok.body.task.id)) === "succeeded" && (await statusOf(bad.body.task.id)) === "failed", "both tasks ended", 30_000);
    // The ends are published right after they are durable: wait for the scrape to show them.
    const f = await waitFor(async () => {
      const f = await families();
      return valueOf(f, "switchboard_tasks_total", { status: "failed", capability: CAP }) === 1 ? f : null;
    }, "the failure counted");

    expect(f.get("switchboard_tasks_total")!.type).toBe("counter");
    expect(valueOf(f, "switchboard_tasks_total", { status: "succeeded", capability: CAP })).toBe(1);
    expect(valueOf(f, "switchboard_tasks_total", { status: "failed", capability: CAP })).toBe(1);
    expect(samplesOf(f, "switchboard_tasks_total", { capability: "metrics-nobody" })).toEqual([]);
    expect(valueOf(f, "switchboard_tasks_queued", { capability: "metrics-nobody" })).toBe(1);

    for (const name of ["switchboard_task_queue_wait_seconds", "switchboard_task_run_seconds"]) {
      const h = histogramOf(f, name, { capability: CAP });
      expect(h.buckets.map((b) => b.le), name).toEqual(TASK_BUCKETS);
      for (let i = 1; i < h.buckets.length; i++) expect(h.buckets[i].count, `${name} le=${h.buckets[i].le}`).toBeGreaterThanOrEqual(h.buckets[i - 1].count);
      expect(h.count, name).toBe(2);
      expect(h.buckets.at(-1)!.count, name).toBe(h.count);
      expect(h.sum, name).toBeGreaterThanOrEqual(0);
      expect(h.sum!, name).toBeLessThan(30);
    }
    // The task nobody can run has not started: no queue wait yet.
    expect(histogramOf(f, "switchboard_task_queue_wait_seconds", { capability: "metrics-nobody" }).count).toBeUndefined();

    // Gauges, computed at scrape time: one idle agent with one free slot.
    expect(f.get("switchboard_agents")!.type).toBe("gauge");
    expect(valueOf(f, "switchboard_agents", { status: "online" })).toBe(1);
    expect(["busy", "draining", "offline"].map((status) => valueOf(f, "switchboard_agents", { status }))).toEqual([0, 0, 0]);
    expect(valueOf(f, "switchboard_slots", { state: "free" })).toBe(1);
    expect(valueOf(f, "switchboard_slots", { state: "busy" })).toBe(0);
    for (const severity of ["info", "warning", "critical"]) expect(valueOf(f, "switchboard_alerts_firing", { severity }), severity).toBeGreaterThanOrEqual(0);
    // Process metrics under their usual names.
    expect(f.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    expect(f.get("nodejs_eventloop_lag_seconds")?.type).toBe("gauge");

    const canceled = await ops.post(`/api/v1/tasks/${nobody.body.task.id}/cancel`);
    expect(canceled.status).toBe(200);
    const after = await waitFor(async () => {
      const f = await families();
      return valueOf(f, "switchboard_tasks_total", { status: "canceled", capability: "metrics-nobody" }) === 1 ? f : null;
    }, "the cancel counted");
    expect(valueOf(after, "switchboard_tasks_queued", { capability: "metrics-nobody" })).toBe(0);
    expect(valueOf(after, "switchboard_tasks_total", { status: "succeeded", capability: CAP })).toBe(1);
  });

  it("times API requests by method, route template and status, never by raw path", async () => {
    const cookie = await adminCookie(server);
    expect((await trpc(server.url, cookie).query("fleet.stats")).status).toBe(200);
    expect((await fetch(`${server.url}/api/trpc/no.such.procedure-${Date.now()}`, { headers: { cookie } })).status).toBe(404);
    await scrape(); // so the next scrape has a /metrics series
    const f = await families();
    const h = f.get("switchboard_http_request_duration_seconds")!;
    expect(h.type).toBe("histogram");
    const submits = histogramOf(f, "switchboard_http_request_duration_seconds", { method: "POST", route: "/api/v1/tasks", status: "201" });
    expect(submits.count).toBe(3);
    expect(submits.buckets.at(-1)!.count).toBe(3);
    for (let i = 1; i < submits.buckets.length; i++) expect(submits.buckets[i].count).toBeGreaterThanOrEqual(submits.buckets[i - 1].count);
    expect(histogramOf(f, "switchboard_http_request_duration_seconds", { method: "GET", route: "/api/v1/tasks/:id", status: "200" }).count).toBeGreaterThan(0);
    expect(histogramOf(f, "switchboard_http_request_duration_seconds", { method: "GET", route: "/api/trpc/fleet.stats", status: "200" }).count).toBe(1);
    expect(histogramOf(f, "switchboard_http_request_duration_seconds", { method: "GET", route: "/api/trpc/_other", status: "404" }).count).toBe(1);
    expect(histogramOf(f, "switchboard_http_request_duration_seconds", { method: "GET", route: "/metrics", status: "200" }).count).toBeGreaterThan(0);
    expect(histogramOf(f, "switchboard_http_request_duration_seconds", { method: "POST", route: "/api/auth/login", status: "200" }).count).toBeGreaterThan(0);
    const routes = new Set(h.samples.map((s) => s.labels.route));
    for (const route of routes) {
      expect(route).toMatch(/^(\/api\/v1\/[a-z/:.-]*|\/api\/trpc\/[A-Za-z.]+|\/api\/trpc\/_other|\/api\/auth\/(login|logout|token)|\/mcp|\/metrics|_other)$/);
      for (const id of taskIds) expect(route).not.toContain(id);
    }
  });

  it("needs credentials that may read: 401 without them, JSON errors like the API's", async () => {
    const none = await scrape({});
    expect(none.status).toBe(401);
    expect(none.type).toMatch(/^application\/json/);
    expect(JSON.parse(none.text)).toEqual({ error: { code: "UNAUTHORIZED", message: expect.stringMatching(/Authorization: Bearer/) } });
    const wrong = await scrape({ authorization: "Bearer sb_not-a-real-token" });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe("UNAUTHORIZED");
    const post = await fetch(`${server.url}/metrics`, { method: "POST", headers: { authorization: `Bearer ${readToken}` } });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");

    // What may read may scrape: a read token (above), a signed-in session, and — since every
    // token scope includes read (lib/policy.ts) — an agent token. No scope lacks read, so no
    // credential the server issues is answered 403 here today.
    const session = await scrape({ cookie: await adminCookie(server) });
    expect(session.status).toBe(200);
    expect(session.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await scrape({ authorization: `Bearer ${agentToken}` })).status).toBe(200);
  });

  it("serves /metrics without credentials on SWITCHBOARD_METRICS_ADDR, and nothing else there", async () => {
    const m = /metrics listening without authentication url=(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(server.output());
    expect(m, server.output()).not.toBeNull();
    const r = await scrape({}, m![1]);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const f = parsePrometheusText(r.text);
    expect(valueOf(f, "switchboard_tasks_total", { status: "succeeded", capability: CAP })).toBe(1);
    const other = await fetch(m![1].replace(/\/metrics$/, "/api/v1/agents"));
    expect(other.status).toBe(404);
  });
});
