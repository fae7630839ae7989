// [TRUST] One agent must not be able to run code on another: values interpolated into a step's
// command arrive as inert text (a hostile parameter, and one agent's hostile *result* read by a
// later step), string parameters are checked against their pattern, and a runner started with
// --accept-from runs only what the submitters it trusts asked for. Real runners, real server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let agentToken: string;
let admin: ReturnType<typeof api>;
let ops: ReturnType<typeof api>;
const agents: AgentHandle[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-trust-"));

beforeAll(async () => {
  server = await startServerProcess();
  agentToken = await createToken(server, "trust-agents");
  admin = api(server.url, { token: await createToken(server, "trust-admin", "admin") });
  ops = api(server.url, { token: await createToken(server, "trust-ops", "submit") });
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function agent(name: string, capabilities: string[], extraArgs: string[] = []) {
  const a = startAgentProcess({ server: server.url, token: agentToken, name, capabilities, extraArgs });
  agents.push(a);
  return a;
}

const online = (name: string) =>
  waitFor(async () => ((await ops.get("/api/v1/agents")).body.agents as { name: string; status: string }[]).some((a) => a.name === name && a.status !== "offline"), `${name} online`);

async function finished(id: string) {
  return waitFor(async () => {
    const d = (await ops.get(`/api/v1/tasks/${id}`)).body;
    return ["succeeded", "failed", "dead", "canceled"].includes(d.task.status) && d;
  }, `task ${id} to finish`, 30_000);
}

describe("[TRUST] interpolation into shell commands", () => {
  it("a hostile parameter and a hostile step result arrive as inert text", async () => {
    agent("trust-runner", ["trust"]);
    await online("trust-runner");
    const mark = (n: string) => path.join(dir, `pwned-${n}`);
    const template = [
      "name: hostile-check",
      "params:",
      "  - { name: version, type: string, required: true }",
      "steps:",
      "  - id: produce",
      "    requires: [trust]",
      "    command: |",
      // One agent's result that tries to become shell syntax on the next agent.
      `      printf '%s' '{"branch": "x$(touch ${mark("result-subst")}); touch ${mark("result-semicolon")}; \`touch ${mark("result-backtick")}\`"}' > "$SWITCHBOARD_RESULT_FILE"`,
      '      echo "version {{params.version}}"',
      "  - id: consume",
      "    dependsOn: [produce]",
      "    requires: [trust]",
      "    command: echo merging {{steps.produce.result.branch}}; echo 'in quotes {{steps.produce.result.branch}}'",
      "",
    ].join("\n");
    expect((await admin.post("/api/v1/workflows", { source: template })).status).toBe(201);
    const version = `1.0; touch ${mark("param-semicolon")}; echo $(touch ${mark("param-subst")}) "\`touch ${mark("param-backtick")}\`"`;
    const started = await ops.post("/api/v1/workflows/hostile-check/runs", { params: { version } });
    expect(started.status).toBe(201);
    const runId = started.body.run.id as string;
    const run = await waitFor(async () => {
      const r = (await ops.get(`/api/v1/runs/${runId}`)).body.run;
      return r.status !== "running" && r;
    }, "the run to end", 30_000);
    expect(run.status).toBe("succeeded");
    // Nothing ran that the values spelled out…
    expect(fs.readdirSync(dir)).toEqual([]);
    // …and the text arrived as written.
    const produce = await finished(run.steps.find((s: { id: string }) => s.id === "produce").taskId);
    expect(produce.logs.map((l: { line: string }) => l.line)).toContain(`version ${version}`);
    const consume = await finished(run.steps.find((s: { id: string }) => s.id === "consume").taskId);
    const branch = produce.task.result.branch as string;
    expect(consume.logs.map((l: { line: string }) => l.line)).toEqual([`merging ${branch}`, `in quotes ${branch}`]);
  });

  it("checks a string parameter's pattern when the run starts, naming the parameter", async () => {
    const template = 'name: pattern-check\nparams:\n  - { name: version, type: string, required: true, pattern: "[0-9]+\\\\.[0-9]+\\\\.[0-9]+", maxLength: 20 }\nsteps:\n  - { id: s, requires: [nobody-has-this], command: "echo {{params.version}}" }\n';
    expect((await admin.post("/api/v1/workflows", { source: template })).status).toBe(201);
    const bad = await ops.post("/api/v1/workflows/pattern-check/runs", { params: { version: "1.0; rm -rf /" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/params\.version|parameter version must match/);
    const long = await ops.post("/api/v1/workflows/pattern-check/runs", { params: { version: "1".repeat(30) } });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/at most 20 characters/);
    expect((await ops.post("/api/v1/workflows/pattern-check/runs", { params: { version: "1.2.3" } })).status).toBe(201);
  });
});

describe("[TRUST] --accept-from", () => {
  it("a locked-down runner runs only what its trusted submitters asked for", async () => {
    agent("deploy-runner", ["deploy-locked"], ["--accept-from", "role:admin", "--accept-from", "workflow:release-train"]);
    await online("deploy-runner");
    const fromOps = (await ops.post("/api/v1/tasks", { title: "deploy from an operator token", command: "echo deployed", requires: ["deploy-locked"] })).body.task;
    const fromAdmin = (await admin.post("/api/v1/tasks", { title: "deploy from an admin", command: "echo deployed", requires: ["deploy-locked"] })).body.task;
    const done = await finished(fromAdmin.id);
    expect(done.task).toMatchObject({ status: "succeeded", agentName: "deploy-runner", submittedBy: { kind: "token", name: "trust-admin", role: "admin" } });
    // The admin's task (submitted after) has run; the operator's is still waiting, and says why.
    const waiting = (await ops.get(`/api/v1/tasks/${fromOps.id}`)).body;
    expect(waiting.task).toMatchObject({ status: "queued", attempt: 0 });
    expect(waiting.waiting.code).toBe("not_accepted");
    expect(waiting.waiting.message).toMatch(/run only tasks from role:admin, workflow:release-train; this one was submitted by token trust-ops \(submit, made by admin\)/);
    const card = ((await ops.get("/api/v1/agents")).body.agents as { name: string; acceptFrom: string[] }[]).find((a) => a.name === "deploy-runner");
    expect(card?.acceptFrom).toEqual(["role:admin", "workflow:release-train"]);
  });
});
