// [RUNNER] real `switchboard agent` processes against the real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { execSync } from "node:child_process";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let token: string;
/** Tasks are submitted the way people do, with a submit token: agent tokens do not submit. */
let opsToken: string;
let agents: AgentHandle[] = [];
// Marks every long-running child command so cleanup can find orphans of a SIGKILLed runner.
const MARK = `sbtest${process.pid}`;

beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server);
  opsToken = await createToken(server, "runner-ops", "submit");
});
afterEach(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  agents = [];
  try {
    execSync(`pkill -f ${MARK}`);
  } catch {
    /* none left */
  }
});
afterAll(async () => {
  await server?.stop();
});

function agent(name: string, capabilities: string[], extra: Partial<Parameters<typeof startAgentProcess>[0]> = {}) {
  const a = startAgentProcess({ server: server.url, token, name, capabilities, ...extra });
  agents.push(a);
  return a;
}

async function task(id: string) {
  return (await api(server.url, { token }).get(`/api/v1/tasks/${id}`)).body;
}

async function agentOnline(name: string) {
  return waitFor(async () => {
    const r = await api(server.url, { token }).get("/api/v1/agents");
    return r.body.agents.find((a: { name: string; status: string }) => a.name === name && a.status !== "offline");
  }, `${name} online`);
}

describe("[RUNNER] task life cycle", () => {
  it("runs a submitted command to success and keeps its stdout and stderr lines", async () => {
    agent("life-1", ["shell"]);
    await agentOnline("life-1");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", {
      title: "hello",
      command: "echo hello from $SWITCHBOARD_TASK_ID; echo careful >&2; echo '{\"answer\":42}' > $SWITCHBOARD_RESULT_FILE",
      requires: ["shell"],
    });
    const id = sub.body.task.id;
    const done = await waitFor(async () => {
      const t = await task(id);
      return t.task.status === "succeeded" && t;
    }, "task to succeed");
    expect(done.task.result).toEqual({ answer: 42 });
    expect(done.task.agentName).toBe("life-1");
    const lines = done.logs.map((l: { stream: string; line: string }) => `${l.stream}:${l.line}`);
    expect(lines).toContain(`stdout:hello from ${id}`);
    expect(lines).toContain("stderr:careful");
  });

  it("fails a task whose command exits non-zero, naming the exit code", async () => {
    agent("life-2", ["shell"]);
    await agentOnline("life-2");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", {
      title: "broken",
      command: "echo 'no such file' >&2; exit 3",
      requires: ["shell"],
      retry: { maxAttempts: 1, backoffMs: 0 },
    });
    const done = await waitFor(async () => {
      const t = await task(sub.body.task.id);
      return t.task.status === "failed" && t;
    }, "task to fail");
    expect(done.task.error).toMatch(/code 3/);
  });

  it("retries on another agent after the first is SIGKILLed mid-task and its lease expires", async () => {
    const first = agent("kill-1", ["killtest"]);
    await agentOnline("kill-1");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", {
      title: "survives a crash",
      // Attempt 1 hangs (until killed); attempt 2 finishes at once.
      command: `if [ "$SWITCHBOARD_TASK_ATTEMPT" = 1 ]; then sleep 30 # ${MARK}
fi; echo "done on attempt $SWITCHBOARD_TASK_ATTEMPT"`,
      requires: ["killtest"],
      retry: { maxAttempts: 3, backoffMs: 100 },
    });
    const id = sub.body.task.id;
    await waitFor(async () => (await task(id)).task.status === "running", "attempt 1 running");
    agent("kill-2", ["killtest"]);
    await agentOnline("kill-2");
    await first.stop("SIGKILL");
    const done = await waitFor(async () => {
      const t = await task(id);
      return t.task.status === "succeeded" && t;
    }, "retry to succeed", 20_000);
    expect(done.task).toMatchObject({ attempt: 2, agentName: "kill-2" });
    const types = done.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(["lease_expired", "retry_scheduled", "succeeded"]));
    expect(done.logs.some((l: { line: string }) => l.line === "done on attempt 2")).toBe(true);
  });

  it("finishes running work on SIGTERM, then exits cleanly", async () => {
    const a = agent("drain-1", ["draintest"]);
    await agentOnline("drain-1");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "drain me", command: "sleep 1; echo finished", requires: ["draintest"] });
    const id = sub.body.task.id;
    await waitFor(async () => (await task(id)).task.status === "running", "running");
    const code = await a.stop("SIGTERM");
    expect(code).toBe(0);
    expect((await task(id)).task.status).toBe("succeeded");
  });

  it("runs a task that was queued before any capable agent registered", async () => {
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "early bird", command: "echo late", requires: ["late3"] });
    const id = sub.body.task.id;
    expect((await task(id)).waiting.code).toBe("no_capable_agent");
    agent("late-1", ["late3"]);
    await waitFor(async () => (await task(id)).task.status === "succeeded", "queued task to run on the new agent");
  });

  it("keeps a running task through a server restart: same attempt, recorded once", async () => {
    agent("steady", ["steadytest"]);
    await agentOnline("steady");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", {
      title: "long job",
      command: `sleep 2 # ${MARK}
echo survived`,
      requires: ["steadytest"],
    });
    const id = sub.body.task.id;
    await waitFor(async () => (await task(id)).task.status === "running", "running");
    await server.stop();
    server = await server.restart();
    const done = await waitFor(async () => {
      const t = await task(id);
      return t.task.status === "succeeded" && t;
    }, "task to finish after the restart", 20_000);
    expect(done.task.attempt).toBe(1);
    expect(done.events.filter((e: { type: string }) => e.type === "succeeded")).toHaveLength(1);
    expect(done.logs.some((l: { line: string }) => l.line === "survived")).toBe(true);
  });

  it("reconnects by itself after the server restarts and takes new work", async () => {
    agent("phoenix", ["restarttest"]);
    await agentOnline("phoenix");
    await server.stop();
    server = await server.restart();
    await agentOnline("phoenix");
    const sub = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "after restart", command: "echo back", requires: ["restarttest"] });
    await waitFor(async () => (await task(sub.body.task.id)).task.status === "succeeded", "task after restart", 20_000);
  });
});
