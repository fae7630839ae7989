// [INSIGHT] The history behind the fleet, from real runners: three agents run commands that fail
// in three distinct ways (two with numbers, addresses and paths that differ every time, one only
// on the agent whose toolchain is broken). The errors view must show exactly three groups, the
// third concentrated on that agent; analytics must count what happened; CSV and status changes
// work over REST; a resolved group that fails again is flagged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "@/testing/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";

let server: ServerHandle;
let ops: ReturnType<typeof api>;
let reader: ReturnType<typeof api>;
const agents: AgentHandle[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  const agentToken = await createToken(server, "insight-agents");
  ops = api(server.url, { token: await createToken(server, "insight-ops", "submit") });
  reader = api(server.url, { token: await createToken(server, "insight-read", "read") });
  for (const name of ["ins-a", "ins-b", "ins-c"]) {
    agents.push(startAgentProcess({ server: server.url, token: agentToken, name, capabilities: ["insight"], slots: 2, env: name === "ins-c" ? { BROKEN_TOOLCHAIN: "1" } : {} }));
  }
  await waitFor(async () => ((await ops.get("/api/v1/agents")).body.agents as { status: string }[]).filter((a) => a.status === "online" || a.status === "busy").length === 3, "three agents online", 30_000);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
  await server?.stop();
});

const task = (title: string, command: string, maxAttempts = 1) => ({ title, command, requires: [{ name: "insight", level: 1 }], retry: { maxAttempts, backoffMs: 100 } });

const DB = (i: number) => task(`db ${i}`, `echo "connecting to 10.0.${i}.7:5432" ; echo "error: connection to 10.0.${i}.7:5432 refused after ${i * 37 + 5} ms" >&2; exit 3`);
const DISK = (i: number) => task(`disk ${i}`, `echo "write /tmp/build-${i}/out-${i * 13}.bin: no space left on device (wrote ${i * 1000 + 17} bytes)" >&2; exit 28`);
const COMPILE = (i: number) =>
  task(`compile ${i}`, `if [ -n "$BROKEN_TOOLCHAIN" ]; then echo "cc: internal compiler error: Segmentation fault (program cc1, pid $$)" >&2; exit 4; fi; echo "compiled unit ${i}"`, 2);

async function allFinished(ids: string[]) {
  await waitFor(
    async () => {
      const page = (await ops.get("/api/v1/tasks?limit=200")).body.tasks as { id: string; status: string }[];
      const done = new Set(page.filter((t) => ["succeeded", "failed", "dead", "canceled"].includes(t.status)).map((t) => t.id));
      return ids.every((id) => done.has(id));
    },
    "every task to finish",
    90_000,
    200,
  );
}

type Group = { id: string; title: string; countInRange: number; status: string; reopenedAt: number | null; affected: { agents: { key: string; count: number }[] }; causes: { kind: string; message: string }[] };

describe("[INSIGHT] analytics and error analysis from real runners", () => {
  let groups: Group[] = [];
  let submitted: string[] = [];

  it("groups failures by fingerprint: exactly three groups, one on the agent with the broken toolchain", async () => {
    const specs = [...Array.from({ length: 8 }, (_, i) => DB(i + 1)), ...Array.from({ length: 8 }, (_, i) => DISK(i + 1)), ...Array.from({ length: 18 }, (_, i) => COMPILE(i + 1))];
    const r = await ops.post("/api/v1/tasks", { tasks: specs });
    expect(r.status).toBe(201);
    submitted = (r.body.tasks as { id: string }[]).map((t) => t.id);
    await allFinished(submitted);
    const e = await reader.get("/api/v1/analytics/errors?range=1h&status=all");
    expect(e.status).toBe(200);
    groups = e.body.groups;
    expect(groups.map((g) => g.title).sort(), JSON.stringify(groups.map((g) => g.title))).toHaveLength(3);
    const db = groups.find((g) => g.title.includes("refused"))!;
    const disk = groups.find((g) => g.title.includes("no space left"))!;
    const cc = groups.find((g) => g.title.includes("compiler error"))!;
    expect(db.countInRange).toBe(8);
    expect(disk.countInRange).toBe(8);
    expect(cc.countInRange).toBeGreaterThanOrEqual(1);
    // Every compiler failure is on ins-c, and the server says so as a likely cause.
    expect(cc.affected.agents).toEqual([{ key: "ins-c", count: cc.countInRange }]);
    if (cc.countInRange >= 3) expect(cc.causes.map((c) => c.message).join(" | ")).toMatch(/100 % on agent ins-c/);
    // The other two are spread over the fleet: no agent is blamed.
    expect(db.causes.filter((c) => c.message.includes("on agent"))).toEqual([]);
    expect(e.body.totals.failuresInRange).toBe(8 + 8 + cc.countInRange);
  }, 150_000);

  it("counts the work in the analytics summary, by agent and against the previous period", async () => {
    const s = await reader.get("/api/v1/analytics/summary?range=1h&dimension=agent");
    expect(s.status).toBe(200);
    const fleet = s.body.fleet.now;
    expect(fleet.submitted).toBe(submitted.length);
    // What the task list says happened, counted independently.
    const tasks = ((await ops.get("/api/v1/tasks?limit=200")).body.tasks as { id: string; status: string; title: string }[]).filter((t) => submitted.includes(t.id));
    const failed = tasks.filter((t) => t.status === "failed");
    expect(fleet.failed).toBe(failed.length);
    expect(fleet.succeeded).toBe(tasks.filter((t) => t.status === "succeeded").length);
    expect(failed.length).toBeGreaterThanOrEqual(16);
    // Every compiler failure was retried unless it was the task's last attempt.
    const ccFailures = groups.find((g) => g.title.includes("compiler error"))!.countInRange;
    expect(fleet.retries).toBe(ccFailures - failed.filter((t) => t.title.startsWith("compile")).length);
    expect(fleet.runP50Ms).toBeGreaterThan(0);
    expect(s.body.fleet.previous.submitted).toBe(0);
    expect(s.body.breakdown.map((b: { key: string }) => b.key).sort()).toEqual(["ins-a", "ins-b", "ins-c"]);
    const started = s.body.breakdown.reduce((n: number, b: { now: { started: number } }) => n + b.now.started, 0);
    expect(started).toBe(fleet.started);
    expect(s.body.series).toHaveLength(60);
    expect(s.body.series.reduce((n: number, p: { submitted: number }) => n + p.submitted, 0)).toBe(submitted.length);
    expect(s.body.simulated).toBeNull();
  });

  it("exports every table as CSV, and names the field when the table is wrong", async () => {
    const token = await createToken(server, "insight-csv", "read");
    const csv = await fetch(`${server.url}/api/v1/analytics/summary?range=1h&dimension=agent&format=csv&table=breakdown`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0].split(",").slice(0, 3)).toEqual(["agent", "label", "submitted"]);
    expect(lines).toHaveLength(4);
    const errs = await fetch(`${server.url}/api/v1/analytics/errors?range=1h&status=all&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await errs.text()).trim().split("\r\n")).toHaveLength(4);
    const bad = await reader.get("/api/v1/analytics/errors?format=csv&table=forecast");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/table must be one of errors/);
    const badRange = await reader.get("/api/v1/analytics/summary?range=2w");
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.message).toMatch(/range/);
  });

  it("resolves a group; when it fails again it is open and flagged as a regression", async () => {
    const db = groups.find((g) => g.title.includes("refused"))!;
    expect((await reader.post(`/api/v1/analytics/errors/${db.id}/status`, { status: "resolved" })).status).toBe(403);
    const r = await ops.post(`/api/v1/analytics/errors/${db.id}/status`, { status: "resolved" });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("resolved");
    const open = (await reader.get("/api/v1/analytics/errors?range=1h")).body.groups as Group[];
    expect(open.map((g) => g.id)).not.toContain(db.id);
    const again = await ops.post("/api/v1/tasks", DB(99));
    await allFinished([again.body.task.id]);
    const after = ((await reader.get("/api/v1/analytics/errors?range=1h")).body.groups as Group[]).find((g) => g.id === db.id)!;
    expect(after.status).toBe("open");
    expect(after.reopenedAt).not.toBeNull();
    expect(after.countInRange).toBe(9);
  }, 60_000);

  it("answers capacity and recommendations for the live fleet", async () => {
    const c = await reader.get("/api/v1/analytics/capacity?timeZone=Europe/Berlin");
    expect(c.status).toBe(200);
    const plan = (c.body.capabilities as { capability: string; slotsNow: number; forecast: unknown[] }[]).find((p) => p.capability === "insight")!;
    expect(plan.slotsNow).toBe(6);
    expect(plan.forecast).toHaveLength(168);
    expect((await reader.get("/api/v1/analytics/capacity?timeZone=Mars/Olympus")).body.error.message).toMatch(/timeZone/);
    const rec = await reader.get("/api/v1/analytics/recommendations?range=1h");
    expect(rec.status).toBe(200);
    expect(Array.isArray(rec.body.recommendations)).toBe(true);
  });
});
