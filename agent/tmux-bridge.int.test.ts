// [TMUX] the legacy tmux bridge: a real `switchboard agent --tmux-target` against the real
// server and a real tmux server on its own socket, running `sh` in its pane.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

const SOCK = `sbtest${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCK, ...args], { encoding: "utf8" });

let server: ServerHandle;
let token: string;
let opsToken: string;
let bridge: AgentHandle;

beforeAll(async () => {
  tmux("new-session", "-d", "-s", "bridge", "-x", "200", "-y", "50", "sh");
  server = await startServerProcess();
  token = await createToken(server);
  opsToken = await createToken(server, "tmux-ops", "submit");
  bridge = startAgentProcess({
    server: server.url,
    token,
    name: "pane-1",
    capabilities: ["pane"],
    extraArgs: ["--tmux-target", "bridge:0.0", "--tmux-socket", SOCK, "--task-timeout", "20s"],
  });
});
afterAll(async () => {
  await bridge?.stop("SIGKILL");
  await server?.stop();
  try {
    const socketPath = tmux("display-message", "-p", "#{socket_path}").trim();
    tmux("kill-server");
    // tmux leaves the socket file behind.
    if (socketPath) rmSync(socketPath, { force: true });
  } catch {
    /* already gone */
  }
});

async function submit(command: string) {
  const r = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: `run ${command}`, command, requires: [{ name: "pane" }] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body.task?.id ?? r.body.id) as string;
}

async function ended(id: string) {
  return waitFor(async () => {
    const detail = (await api(server.url, { token }).get(`/api/v1/tasks/${id}`)).body;
    return ["succeeded", "failed", "dead", "canceled"].includes(detail.task.status) ? detail : undefined;
  }, `task ${id} ended`, 30_000);
}

describe("[TMUX] legacy tmux bridge", () => {
  it("registers as a legacy agent", async () => {
    const agent = await waitFor(async () => {
      const r = await api(server.url, { token }).get("/api/v1/agents");
      return r.body.agents.find((a: { name: string; status: string }) => a.name === "pane-1" && a.status !== "offline");
    }, `pane-1 online\n${bridge.output()}`);
    expect(agent.kind).toBe("legacy");
  });

  it("types a task into the pane and streams its output until the done marker", async () => {
    const detail = await ended(await submit("echo bridged-ok"));
    expect(detail.task.status, bridge.output()).toBe("succeeded");
    const lines = detail.logs.map((l: { line: string }) => l.line);
    expect(lines).toContain("bridged-ok");
    expect(lines.some((l: string) => l.includes("__SWITCHBOARD_DONE__ 0"))).toBe(false);
    expect(detail.task.result).toMatchObject({ exitCode: 0 });
    expect(detail.task.result.lines).toContain("bridged-ok");
  });

  it("fails a task whose command exits non-zero", async () => {
    const detail = await ended(await submit("false"));
    expect(detail.task.status).toMatch(/failed|dead/);
    expect(detail.task.error).toMatch(/exited with code 1/);
  });

  it("types a message into the pane as a comment and acks it", async () => {
    const r = await api(server.url, { token: opsToken }).post("/api/v1/messages", { to: { agent: "pane-1" }, body: "hi pane" });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    await waitFor(() => tmux("capture-pane", "-p", "-J", "-t", "bridge:0.0").includes("# message from"), "message in the pane");
    expect(tmux("capture-pane", "-p", "-J", "-t", "bridge:0.0")).toMatch(/# message from .*: hi pane/);
  });

  it("fails a task that prints no done marker within --task-timeout, interrupting it", async () => {
    tmux("new-window", "-d", "-t", "bridge:1", "sh");
    const slow = startAgentProcess({
      server: server.url,
      token,
      name: "pane-slow",
      capabilities: ["slowpane"],
      extraArgs: ["--tmux-target", "bridge:1.0", "--tmux-socket", SOCK, "--task-timeout", "1s"],
    });
    try {
      const r = await api(server.url, { token: opsToken }).post("/api/v1/tasks", { title: "slow", command: "sleep 30", requires: [{ name: "slowpane" }] });
      const detail = await ended(r.body.task?.id ?? r.body.id);
      expect(detail.task.status).toMatch(/failed|dead/);
      expect(detail.task.error).toMatch(/timed out/);
      // The C-c stopped the sleep (and the echo after it): the pane is back at its shell.
      await waitFor(() => tmux("display-message", "-p", "-t", "bridge:1.0", "#{pane_current_command}").trim() === "sh", "sleep interrupted");
    } finally {
      await slow.stop("SIGKILL");
    }
  });

  it("exits 2 with one error line when the pane does not exist", async () => {
    const missing = startAgentProcess({ server: server.url, token, name: "pane-x", extraArgs: ["--tmux-target", "nosuch:0.0", "--tmux-socket", SOCK] });
    const code = await new Promise<number | null>((resolve) => missing.proc.once("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(missing.output().trim().split("\n")).toHaveLength(1);
    expect(missing.output()).toMatch(/tmux pane "nosuch:0.0" .*does not exist/);
  });
});
