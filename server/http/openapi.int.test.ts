// [OPENAPI] The REST API's OpenAPI 3.1 document, served by the real server: it lists every route
// of the route table (and nothing else), its schemas compile with a JSON Schema 2020-12
// validator, and the real answers of every route — driven through a whole agent and workflow
// life cycle here — validate against what the document says they are.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restApi, templateOf, type RestRoute } from "@/lib/api/rest";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startServerProcess();
  tokens.agent = await createToken(server, "oa-agent");
  tokens.submit = await createToken(server, "oa-submit", "submit");
  tokens.admin = await createToken(server, "oa-admin", "admin");
  tokens.read = await createToken(server, "oa-read", "read");
  const r = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(r.status).toBe(200);
  doc = await r.json();
});
afterAll(async () => {
  await server?.stop();
});

const oaPath = (r: RestRoute) => `/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`;

describe("[OPENAPI] /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1 with exactly the routes of the route table", () => {
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const routes = (Object.values(restApi) as RestRoute[]).map((r) => `${r.method} ${oaPath(r)}`);
    expect(documented.sort()).toEqual(routes.sort());
    for (const r of Object.values(restApi) as RestRoute[]) {
      const op = doc.paths[oaPath(r)][r.method.toLowerCase()];
      expect(op.responses[String(r.status)]?.content?.[r.produces ?? "application/json"]?.schema, templateOf(r)).toBeDefined();
      expect(op.responses["4XX"], templateOf(r)).toBeDefined();
    }
  });

  it("answers of every route validate against the document", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "doc", components: doc.components });
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    const seen = new Set<string>();
    const call = async (name: keyof typeof restApi, token: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const route = restApi[name] as RestRoute;
      const r = await fetch(`${server.url}/api/v1${path}`, {
        method: route.method,
        headers: { authorization: `Bearer ${tokens[token]}`, "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      if (route.produces) {
        // A file: the document names its type; the body is that type, not JSON.
        const bytes = Buffer.from(await r.arrayBuffer());
        expect(r.status, `${templateOf(route)}: ${bytes.subarray(0, 300).toString()}`).toBe(route.status);
        expect(r.headers.get("content-type")).toContain(route.produces);
        expect(Object.keys(doc.paths[oaPath(route)][route.method.toLowerCase()].responses[String(route.status)].content!)).toEqual([route.produces]);
        seen.add(name);
        return bytes;
      }
      const json = await r.json();
      expect(r.status, `${templateOf(route)}: ${JSON.stringify(json).slice(0, 300)}`).toBe(route.status);
      const schema = doc.paths[oaPath(route)][route.method.toLowerCase()].responses[String(route.status)].content!["application/json"].schema as { $ref: string };
      let v = validators.get(schema.$ref);
      if (!v) validators.set(schema.$ref, (v = ajv.compile({ $ref: `doc${schema.$ref}` })));
      expect(v(json), `${templateOf(route)} answered outside its schema: ${JSON.stringify(v.errors?.slice(0, 3))}`).toBe(true);
      seen.add(name);
      return json;
    };

    // An HTTP agent's whole life, and the people around it.
    const { agentId } = await call("registerAgent", "agent", "/agents/register", { name: "oa-worker", capabilities: ["oa:2"], slots: 2 });
    await call("heartbeat", "agent", `/agents/${agentId}/heartbeat`, { cpu: 1, memoryMb: 2, taskIds: [] });
    const { task } = await call("submitTasks", "submit", "/tasks", { title: "documented", command: "true", requires: ["oa"] });
    await call("submitTasks", "submit", "/tasks", { tasks: [{ title: "batch 1", requires: ["nobody-has-this"] }] });
    const claimed = await call("claim", "agent", `/agents/${agentId}/claim?wait=5`);
    expect(claimed.tasks[0].taskId).toBe(task.id);
    await call("accept", "agent", `/tasks/${task.id}/accept`, { attempt: 1 });
    await call("progress", "agent", `/tasks/${task.id}/progress`, { attempt: 1, percent: 50, logs: [{ line: "half" }] });
    await call("complete", "agent", `/tasks/${task.id}/complete`, { attempt: 1, result: { ok: true } });
    await call("getTask", "submit", `/tasks/${task.id}`);
    await call("findTasks", "submit", "/tasks?limit=5");
    const second = (await call("submitTasks", "submit", "/tasks", { title: "to fail", requires: ["oa"], retry: { maxAttempts: 1 } })).task;
    const again = await call("claim", "agent", `/agents/${agentId}/claim?wait=5`);
    await call("fail", "agent", `/tasks/${second.id}/fail`, { attempt: again.tasks[0].attempt, error: "boom", retryable: false });
    await call("retryTask", "submit", `/tasks/${second.id}/retry`);
    const third = await call("claim", "agent", `/agents/${agentId}/claim?wait=5`);
    await call("release", "agent", `/tasks/${second.id}/release`, { attempt: third.tasks[0].attempt, reason: "not now" });
    await call("cancelTask", "submit", `/tasks/${second.id}/cancel`);
    await call("findAgents", "submit", "/agents");
    await call("fleetStats", "submit", "/stats");
    // Messages.
    await call("sendAsAgent", "agent", `/agents/${agentId}/messages`, { to: { agent: "oa-worker" }, body: "note to self" });
    await call("sendMessage", "submit", "/messages", { to: { agent: "oa-worker" }, body: "from ops" });
    const inbox = await call("inbox", "agent", `/agents/${agentId}/inbox?after=0`);
    await call("ackInbox", "agent", `/agents/${agentId}/inbox/ack`, { upTo: inbox.messages.at(-1).seq });
    // Workflows, posted as YAML, run to an approval gate and decided.
    await call("saveTemplate", "admin", "/workflows", "name: oa-flow\nsteps:\n  - { id: gate, type: approval }\n  - { id: after, type: approval, dependsOn: [gate] }\n", { "content-type": "application/yaml" });
    await call("findTemplates", "submit", "/workflows");
    await call("getTemplate", "submit", "/workflows/oa-flow");
    const { run } = await call("startRun", "submit", "/workflows/oa-flow/runs", {});
    await call("approvals", "submit", "/approvals");
    await call("approve", "submit", `/runs/${run.id}/steps/gate/approve`, { comment: "ok" });
    await call("reject", "submit", `/runs/${run.id}/steps/after/reject`, { comment: "no" });
    await call("getRun", "submit", `/runs/${run.id}`);
    await call("findRuns", "submit", "/runs?limit=5");
    await call("rerun", "submit", `/runs/${run.id}/rerun`, { fromStep: "after" });
    await call("cancelRun", "submit", `/runs/${run.id}/cancel`);
    // Identity.
    const created = await call("createToken", "admin", "/tokens", { name: "oa-extra", scope: "read" });
    tokens.extra = created.secret;
    const me = await call("me", "extra", "/me");
    await call("revokeToken", "extra", `/tokens/${me.id}`);
    // What the history says about all that.
    await call("analyticsSummary", "submit", "/analytics/summary?range=1h&dimension=agent");
    const errors = await call("analyticsErrors", "submit", "/analytics/errors?range=1h&status=all");
    expect(errors.groups.map((g: { title: string }) => g.title)).toContain("boom");
    await call("setErrorStatus", "submit", `/analytics/errors/${errors.groups[0].id}/status`, { status: "resolved" });
    await call("analyticsCapacity", "submit", "/analytics/capacity?timeZone=Europe/Berlin");
    await call("analyticsRecommendations", "submit", "/analytics/recommendations?range=24h");
    // Alerts: rules, a silence, a channel (whose test delivery fails: nothing listens there), the lists.
    const rules = await call("alertRules", "submit", "/alerts/rules");
    const rule = await call("createAlertRule", "admin", "/alerts/rules", { name: "OpenApiDead", kind: "dead_tasks", params: { windowMs: 600_000, min: 5 }, severity: "info" });
    await call("updateAlertRule", "admin", `/alerts/rules/${rule.id}`, { name: "OpenApiDead", kind: "dead_tasks", enabled: false });
    await call("deleteAlertRule", "admin", `/alerts/rules/${rule.id}`);
    await call("importAlertRules", "admin", "/alerts/rules/import", { source: "rules:\n  - name: OpenApiYaml\n    kind: dead_tasks\n    for: 1m\n" });
    expect(String(await call("exportAlertRules", "read", "/alerts/rules/export"))).toContain("name: OpenApiYaml");
    expect(rules.rules.length).toBeGreaterThan(0);
    const silence = await call("createSilence", "submit", "/alerts/silences", { matchers: ['agent="nobody"'], endsAt: Date.now() + 60_000, comment: "openapi" });
    await call("silences", "submit", "/alerts/silences");
    await call("expireSilence", "submit", `/alerts/silences/${silence.id}`);
    const channel = await call("createAlertChannel", "admin", "/alerts/channels", { name: "openapi hook", kind: "webhook", url: "http://127.0.0.1:9/hook", secret: "openapi-secret-0123456789" });
    await call("updateAlertChannel", "admin", `/alerts/channels/${channel.id}`, { name: "openapi hook", kind: "webhook", url: "http://127.0.0.1:9/other", minSeverity: "critical" });
    const outcome = await call("testAlertChannel", "admin", `/alerts/channels/${channel.id}/test`);
    expect(outcome.ok).toBe(false);
    // This server has no SMTP relay: an e-mail channel would only ever fail, so it is refused.
    const mail = await fetch(`${server.url}/api/v1/alerts/channels`, { method: "POST", headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" }, body: JSON.stringify({ name: "mail", kind: "email", to: ["ops@example.test"] }) });
    expect(mail.status).toBe(400);
    expect(((await mail.json()) as { error: { message: string } }).error.message).toMatch(/^kind: .*SWITCHBOARD_SMTP_URL/);
    await call("alertChannels", "admin", "/alerts/channels");
    await call("alertDeliveries", "admin", `/alerts/channels/${channel.id}/deliveries`);
    await call("deleteAlertChannel", "admin", `/alerts/channels/${channel.id}`);
    await call("alerts", "submit", "/alerts");
    await call("alertHistory", "submit", "/alerts/history?limit=10");
    // Pools: an external one (KEDA's), so nothing is started here.
    const pool = await call("createPool", "admin", "/pools", { name: "oa-pool", provider: "external", card: { capabilities: ["oa"], slots: 2 }, policy: { max: 3 } });
    await call("updatePool", "admin", `/pools/${pool.id}`, { name: "oa-pool", provider: "external", card: { capabilities: ["oa"], slots: 2 }, policy: { max: 4, targetBacklogPerSlot: 2 } });
    await call("setPoolBounds", "submit", `/pools/oa-pool/bounds`, { min: 0, max: 5 });
    await call("getPool", "read", "/pools/oa-pool");
    await call("pools", "read", "/pools");
    await call("poolDecisions", "read", "/pools/oa-pool/decisions?limit=5");
    expect((await call("poolScaler", "read", "/pools/oa-pool/scaler")).max).toBe(5);
    await call("deletePool", "admin", `/pools/${pool.id}`);
    // Reports: one on demand, its page and PDF; a schedule run now; the exports.
    const rep = await call("createReport", "submit", "/reports", { from: Date.now() - 3_600_000, to: Date.now(), title: "OpenAPI report" });
    await call("getReport", "submit", `/reports/${rep.id}`);
    expect(String(await call("reportHtml", "read", `/reports/${rep.id}/html`))).toContain("OpenAPI report");
    expect((await call("reportPdf", "read", `/reports/${rep.id}/pdf`)).subarray(0, 5).toString()).toBe("%PDF-");
    const sched = await call("createReportSchedule", "admin", "/reports/schedules", { name: "OpenAPI nightly", cron: "0 2 * * *", timeZone: "Europe/Berlin", period: "day" });
    await call("updateReportSchedule", "admin", `/reports/schedules/${sched.id}`, { name: "OpenAPI nightly", cron: "30 2 * * *", period: "day", catchUp: "catch-up" });
    await call("runReportSchedule", "admin", `/reports/schedules/${sched.id}/run`);
    await call("reports", "read", "/reports?limit=5");
    await call("deleteReportSchedule", "admin", `/reports/schedules/${sched.id}`);
    expect(String(await call("exportCsv", "read", `/export/tasks?from=${Date.now() - 3_600_000}&to=${Date.now() + 1000}`))).toMatch(/^id,title,status/);
    // A rule that counts deliberately stopped agents too: it fires when the agent stops below.
    await call("createAlertRule", "admin", "/alerts/rules", { name: "OpenApiStopped", kind: "agents_offline", params: { includeStopped: true }, severity: "info" });

    // The agent goes: drained, stopped, forgotten.
    await call("drainAgent", "agent", `/agents/${agentId}/drain`);
    await call("stopAgent", "agent", `/agents/${agentId}/stop`);
    let firing: { fingerprint: string } | undefined;
    await waitFor(async () => {
      const list = (await fetch(`${server.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${tokens.submit}` } }).then((r) => r.json())) as { alerts: { fingerprint: string; phase: string; ruleName: string }[] };
      firing = list.alerts.find((a) => a.ruleName === "OpenApiStopped" && a.phase === "firing");
      return !!firing;
    }, "the stopped agent's alert");
    await call("ackAlert", "submit", `/alerts/${firing!.fingerprint}/ack`, { comment: "openapi" });
    await waitFor(async () => (await fetch(`${server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${tokens.submit}` } }).then((r) => r.json())).agents[0].slotsUsed === 0, "no held tasks");
    await call("forgetAgent", "submit", `/agents/${agentId}`);

    expect([...seen].sort()).toEqual(Object.keys(restApi).sort());
  }, 120_000);
});
