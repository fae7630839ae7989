// [WORKFLOWS] templates and runs against the real server with real runner agents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import type { RunView } from "@/lib/api";

let server: ServerHandle;
let admin: string;
const agents: AgentHandle[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sb-wf-"));

beforeAll(async () => {
  server = await startServerProcess();
  admin = await createToken(server, "wf-admin", "admin");
  const agentToken = await createToken(server, "wf-agents", "agent");
  for (const name of ["wf-a", "wf-b"]) {
    agents.push(startAgentProcess({ server: server.url, token: agentToken, name, capabilities: ["shell", "qa"], slots: 3 }));
  }
  await waitFor(async () => (await api(server.url, { token: admin }).get("/api/v1/agents")).body.agents.filter((a: { status: string }) => a.status === "online").length === 2, "agents online");
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  await server?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const client = () => api(server.url, { token: admin });

async function apply(source: string) {
  const r = await client().post("/api/v1/workflows", { source, format: "yaml" });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function start(name: string, params: Record<string, unknown> = {}): Promise<RunView> {
  const r = await client().post(`/api/v1/workflows/${name}/runs`, { params });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.run;
}

async function run(id: string): Promise<RunView> {
  return (await client().get(`/api/v1/runs/${id}`)).body.run;
}

async function until(id: string, pred: (r: RunView) => boolean, what: string, ms = 30_000): Promise<RunView> {
  return waitFor(async () => {
    const r = await run(id);
    return pred(r) ? r : null;
  }, what, ms);
}

const step = (r: RunView, id: string) => r.steps.find((s) => s.id === id)!;

describe("[WORKFLOWS] runs", () => {
  it("runs a 6-step template with a parallel branch and an automated gate to success", async () => {
    await apply(`
name: six-steps
params:
  - { name: greeting, type: string, default: hello }
steps:
  - id: prepare
    requires: [shell]
    command: |
      echo '{"n": 7}' > "$SWITCHBOARD_RESULT_FILE"
  - id: left
    dependsOn: [prepare]
    requires: [shell]
    command: |
      sleep 0.5; echo '{"score": {{steps.prepare.result.n}}}' > "$SWITCHBOARD_RESULT_FILE"
  - id: right
    dependsOn: [prepare]
    requires: [shell]
    command: sleep 0.5; echo "{{params.greeting}} from the right"
  - id: gate
    type: check
    dependsOn: [left, right]
    expression: steps.left.result.score >= 5 && steps.right.status == "succeeded"
  - id: qa
    type: check
    dependsOn: [gate]
    requires: [qa]
    command: test 1 -eq 1
  - id: finish
    dependsOn: [qa]
    requires: [shell]
    command: echo done
`);
    const started = await start("six-steps");
    expect(started.steps.map((s) => s.id)).toEqual(["prepare", "left", "right", "gate", "qa", "finish"]);
    const done = await until(started.id, (r) => r.status !== "running", "run to end");
    expect(done.status).toBe("succeeded");
    expect(done.steps.every((s) => s.status === "succeeded")).toBe(true);
    // Fan-out then fan-in: both branches start after prepare ends, the gate after both.
    const [prep, left, right, gate] = ["prepare", "left", "right", "gate"].map((id) => step(done, id));
    expect(left.startedAt!).toBeGreaterThanOrEqual(prep.finishedAt!);
    expect(right.startedAt!).toBeGreaterThanOrEqual(prep.finishedAt!);
    expect(gate.startedAt!).toBeGreaterThanOrEqual(Math.max(left.finishedAt!, right.finishedAt!));
    expect(gate.decisions).toEqual([expect.objectContaining({ decision: "passed", by: "expression" })]);
    expect(step(done, "qa").decisions[0]).toMatchObject({ decision: "passed" });
    expect(step(done, "qa").decisions[0].by).toMatch(/check command on wf-/);
    expect(step(done, "left").result).toEqual({ score: 7 });
  });

  it("fails fast: a failing step cancels what runs and skips what waits", async () => {
    await apply(`
name: fails-fast
failurePolicy: fail-fast
steps:
  - { id: start, requires: [shell], command: "true" }
  - { id: broken, dependsOn: [start], requires: [shell], command: "echo boom >&2; exit 1" }
  - { id: slow, dependsOn: [start], requires: [shell], command: "sleep 20" }
  - { id: after, dependsOn: [broken, slow], requires: [shell], command: "echo never" }
`);
    const r = await start("fails-fast");
    const done = await until(r.id, (x) => x.status !== "running", "run to fail");
    expect(done.status).toBe("failed");
    expect(step(done, "broken")).toMatchObject({ status: "failed" });
    expect(step(done, "broken").error).toMatch(/code 1/);
    expect(step(done, "slow").status).toBe("canceled");
    expect(step(done, "after").status).toBe("skipped");
    expect(done.error).toMatch(/broken/);
  });

  it("re-runs from the failed step and keeps the upstream results", async () => {
    const marker = path.join(scratch, "fixed");
    await apply(`
name: rerun-me
steps:
  - id: upstream
    requires: [shell]
    command: |
      echo '{"token": "'$SWITCHBOARD_TASK_ID'"}' > "$SWITCHBOARD_RESULT_FILE"
  - id: flaky
    dependsOn: [upstream]
    requires: [shell]
    command: test -f ${marker} && echo fixed
  - id: last
    dependsOn: [flaky]
    requires: [shell]
    command: |
      echo '{"saw": "{{steps.upstream.result.token}}"}' > "$SWITCHBOARD_RESULT_FILE"
`);
    const r = await start("rerun-me");
    const failed = await until(r.id, (x) => x.status !== "running", "first attempt to fail");
    expect(failed.status).toBe("failed");
    const upstreamTask = step(failed, "upstream").taskId;
    fs.writeFileSync(marker, "yes");
    const rerun = await client().post(`/api/v1/runs/${r.id}/rerun`, { fromStep: "flaky" });
    expect(rerun.status, JSON.stringify(rerun.body)).toBe(200);
    const done = await until(r.id, (x) => x.status !== "running", "re-run to end");
    expect(done.status).toBe("succeeded");
    expect(step(done, "upstream").taskId).toBe(upstreamTask);
    expect(step(done, "last").result).toEqual({ saw: upstreamTask });
  });

  it("waits at an approval gate until an operator approves over the API", async () => {
    await apply(`
name: needs-approval
steps:
  - { id: build, requires: [shell], command: "echo built" }
  - { id: review, type: approval, dependsOn: [build], description: "check the build" }
  - { id: ship, dependsOn: [review], requires: [shell], command: "echo shipped" }
`);
    const r = await start("needs-approval");
    await until(r.id, (x) => step(x, "review").status === "waiting_approval", "the gate to wait");
    const inbox = await client().get("/api/v1/approvals");
    expect(inbox.body.approvals.map((a: { run: { id: string }; step: { id: string } }) => `${a.run.id}/${a.step.id}`)).toContain(`${r.id}/review`);
    expect(step(await run(r.id), "ship").status).toBe("pending");
    const ok = await client().post(`/api/v1/runs/${r.id}/steps/review/approve`, { comment: "looks good" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const done = await until(r.id, (x) => x.status !== "running", "run to end");
    expect(done.status).toBe("succeeded");
    expect(step(done, "review").decisions).toEqual([expect.objectContaining({ decision: "approved", by: "token:wf-admin", comment: "looks good" })]);
    const again = await client().post(`/api/v1/runs/${r.id}/steps/review/approve`, {});
    expect(again.status).toBe(409);
  });

  it("decides an approval gate by itself when its timeout passes", async () => {
    await apply(`
name: auto-approve
steps:
  - { id: wait, type: approval, timeoutMs: 1000, onTimeout: approve }
  - { id: after, dependsOn: [wait], requires: [shell], command: "echo went on" }
`);
    const r = await start("auto-approve");
    const done = await until(r.id, (x) => x.status !== "running", "the timeout to approve", 15_000);
    expect(done.status).toBe("succeeded");
    expect(step(done, "wait").decisions).toEqual([expect.objectContaining({ decision: "approved", by: "timeout" })]);
  });

  it("continues independent branches under the continue policy", async () => {
    await apply(`
name: keeps-going
failurePolicy: continue
steps:
  - { id: bad, requires: [shell], command: "exit 2" }
  - { id: after_bad, dependsOn: [bad], requires: [shell], command: "echo never" }
  - { id: good, requires: [shell], command: "sleep 0.3" }
  - { id: after_good, dependsOn: [good], requires: [shell], command: "echo ran" }
`);
    const r = await start("keeps-going");
    const done = await until(r.id, (x) => x.status !== "running", "run to end");
    expect(done.status).toBe("failed");
    expect(["bad", "after_bad", "good", "after_good"].map((id) => step(done, id).status)).toEqual(["failed", "skipped", "succeeded", "succeeded"]);
  });

  it("survives a server restart in the middle of a run", async () => {
    await apply(`
name: survives
steps:
  - { id: long, requires: [shell], command: "sleep 2; echo '{\\"ok\\": true}' > $SWITCHBOARD_RESULT_FILE" }
  - { id: next, dependsOn: [long], requires: [shell], command: "echo after the restart" }
`);
    const r = await start("survives");
    await until(r.id, (x) => step(x, "long").status === "running", "first step to run");
    await server.stop();
    server = await server.restart();
    const done = await until(r.id, (x) => x.status !== "running", "run to finish after restart");
    expect(done.status, JSON.stringify(done.steps.map((s) => [s.id, s.status, s.error]))).toBe("succeeded");
    expect(step(done, "long").result).toEqual({ ok: true });
  });
});

describe("[WORKFLOWS] validation", () => {
  it("names the members of a cycle in order, and unknown dependencies with their step", async () => {
    const cyc = await client().post("/api/v1/workflows", {
      format: "yaml",
      source: "name: loop\nsteps:\n  - { id: a, dependsOn: [c], command: x }\n  - { id: b, dependsOn: [a], command: x }\n  - { id: c, dependsOn: [b], command: x }\n",
    });
    expect(cyc.status).toBe(400);
    expect(JSON.stringify(cyc.body.error.issues)).toMatch(/a → b → c → a|b → c → a → b|c → a → b → c/);
    const unknown = await client().post("/api/v1/workflows", { format: "yaml", source: "name: typo\nsteps:\n  - { id: test, dependsOn: [biuld], command: x }\n" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0]).toMatchObject({ step: "test" });
    expect(unknown.body.error.issues[0].message).toMatch(/biuld/);
  });

  it("refuses a run with a missing or mistyped parameter, naming it", async () => {
    await apply("name: typed\nparams:\n  - { name: count, type: number, required: true }\nsteps:\n  - { id: a, command: 'echo {{params.count}}' }\n");
    const missing = await client().post("/api/v1/workflows/typed/runs", { params: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/count/);
    const wrong = await client().post("/api/v1/workflows/typed/runs", { params: { count: "many" } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/count/);
  });

  it("keeps a version history and does not add a version for an unchanged definition", async () => {
    const v1 = await apply("name: versions\nsteps:\n  - { id: a, command: 'echo 1' }\n");
    const same = await apply("name: versions\nsteps:\n  - { id: a, command: 'echo 1' }\n");
    const v2 = await apply("name: versions\nsteps:\n  - { id: a, command: 'echo 2' }\n");
    expect([v1.version.version, same.created, v2.version.version]).toEqual([v1.version.version, false, v1.version.version + 1]);
    const t = await client().get("/api/v1/workflows/versions");
    expect(t.body.versions.map((v: { version: number }) => v.version)).toEqual([v2.version.version, v1.version.version]);
  });

  it("ships the built-in templates", async () => {
    const list = await client().get("/api/v1/workflows");
    const names = list.body.templates.filter((t: { builtin: boolean }) => t.builtin).map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(["feature-pipeline", "release-train", "repo-maintenance"]));
  });
});
