// [PYTHON] examples/python-agent/agent.py — plain Python, standard library only — as a real
// process against the real server: it registers, long-polls for work, runs commands and payload
// tasks, streams logs, heartbeats, fails what fails, and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { ROOT, createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let agentToken: string;
let ops: ReturnType<typeof api>;
let proc: ChildProcess | null = null;
let output = "";

beforeAll(async () => {
  server = await startServerProcess();
  agentToken = await createToken(server, "python-agents");
  ops = api(server.url, { token: await createToken(server, "python-ops", "submit") });
});
afterAll(async () => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  await server?.stop();
});

const agentNamed = async (name: string) => ((await ops.get("/api/v1/agents")).body.agents as { name: string; status: string; healthReason: string | null }[]).find((a) => a.name === name);

async function finished(id: string) {
  return waitFor(async () => {
    const d = (await ops.get(`/api/v1/tasks/${id}`)).body;
    return ["succeeded", "failed", "dead", "canceled"].includes(d.task.status) && d;
  }, `task ${id} to finish`, 30_000);
}

describe("[PYTHON] an agent in plain Python over HTTP", () => {
  it("runs commands and payload tasks, reports failures, and stops cleanly", async () => {
    proc = spawn("python3", [path.join(ROOT, "examples", "python-agent", "agent.py"), "--server", server.url, "--token", agentToken, "--name", "py-1", "--capability", "python:2", "--slots", "2"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout!.on("data", (d) => (output += d));
    proc.stderr!.on("data", (d) => (output += d));
    await waitFor(async () => (await agentNamed("py-1"))?.status === "online", "py-1 online");

    const echo = (await ops.post("/api/v1/tasks", { title: "python echo", command: "echo one; echo two", requires: ["python"] })).body.task.id;
    const words = (await ops.post("/api/v1/tasks", { title: "count words", payload: { text: "the quick brown fox" }, requires: ["python"] })).body.task.id;
    const broken = (await ops.post("/api/v1/tasks", { title: "exit 3", command: "echo about to fail; exit 3", requires: ["python"], retry: { maxAttempts: 1 } })).body.task.id;

    const e = await finished(echo);
    expect(e.task.status).toBe("succeeded");
    expect(e.task.result).toEqual({ exitCode: 0, lastLine: "two" });
    expect(e.logs.map((l: { line: string }) => l.line)).toEqual(["one", "two"]);
    expect(e.task.agentName).toBe("py-1");

    const w = await finished(words);
    expect(w.task).toMatchObject({ status: "succeeded", result: { words: 4 } });

    const b = await finished(broken);
    expect(b.task.status).toBe("failed");
    expect(b.task.error).toMatch(/exit code 3: about to fail/);

    // Heartbeats keep it online across several lease periods (tests run with a 1.5 s lease).
    const long = (await ops.post("/api/v1/tasks", { title: "takes a while", command: "sleep 2; echo done", requires: ["python"] })).body.task.id;
    expect((await finished(long)).task).toMatchObject({ status: "succeeded", attempt: 1 });

    proc.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => proc!.once("exit", (c) => resolve(c)));
    expect(code, output).toBe(0);
    const gone = await agentNamed("py-1");
    expect(gone).toMatchObject({ status: "offline", healthReason: "stopped by its owner" });
  }, 90_000);
});
