// [POSTGRES] The whole server on PostgreSQL: the real server process with DATABASE_URL pointing
// at a real PostgreSQL 15 (testing/postgres.ts), a real runner agent, a task submitted over REST
// that runs and succeeds; then the server restarts and reads the task back, with its history and
// its log, from the database; a task read right as it finishes is consistent. Without PostgreSQL this fails (SB_SKIP_POSTGRES=1 skips).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { api } from "@/testing/api";
import { connectAgent } from "@/agent/sdk";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import { skipPostgres, startPostgres, type PostgresHandle } from "@/testing/postgres";

let db: PostgresHandle | undefined;
let url: string;
let server: ServerHandle | undefined;
let agent: AgentHandle | undefined;

describe.skipIf(skipPostgres)("[POSTGRES] the server on PostgreSQL", () => {
  beforeAll(async () => {
    db = await startPostgres();
    url = await db.createDatabase("switchboard");
    // The server migrates the empty database itself at its first start.
    server = await startServerProcess({ env: { DATABASE_URL: url } });
  }, 180_000);

  afterAll(async () => {
    await agent?.stop("SIGKILL");
    await server?.stop();
    await db?.stop();
  });

  it("runs a task on a real agent, and after a restart reads it back with its history and log", async () => {
    const agentToken = await createToken(server!, "pg-agent");
    const ops = api(server!.url, { token: await createToken(server!, "pg-ops", "submit") });
    agent = startAgentProcess({ server: server!.url, token: agentToken, name: "pg-worker", capabilities: ["shell"] });
    await waitFor(async () => (await ops.get("/api/v1/agents")).body.agents.some((a: { name: string; status: string }) => a.name === "pg-worker" && a.status === "online"), "the agent online");

    const sub = await ops.post("/api/v1/tasks", { title: "on postgres", command: "echo hello from postgres", requires: ["shell"] });
    expect(sub.status).toBe(201);
    const id = sub.body.task.id as string;
    const done = await waitFor(async () => {
      const t = (await ops.get(`/api/v1/tasks/${id}`)).body;
      return t.task.status === "succeeded" ? t : null;
    }, "the task to succeed", 30_000);
    expect(done.task).toMatchObject({ status: "succeeded", agentName: "pg-worker" });

    // It is in PostgreSQL, not in an SQLite file.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const row = (await c.query(`SELECT "status", "finishedAt" FROM "Task" WHERE "id" = $1`, [id])).rows[0];
    await c.end();
    expect(row.status).toBe("succeeded");
    expect(row.finishedAt).toBeInstanceOf(Date);

    await agent.stop();
    await server!.stop();
    server = await server!.restart();
    const again = api(server.url, { token: await createToken(server, "pg-ops-2", "submit") });
    const back = await again.get(`/api/v1/tasks/${id}`);
    expect(back.status).toBe(200);
    expect(back.body.task).toMatchObject({ id, title: "on postgres", status: "succeeded", attempt: 1 });
    expect(back.body.task.finishedAt).toBe(done.task.finishedAt);
    expect(back.body.events.map((e: { type: string }) => e.type)).toEqual(done.events.map((e: { type: string }) => e.type));
    expect(back.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["submitted", "assigned", "started", "succeeded"]));
    expect(back.body.logs.map((l: { line: string }) => l.line)).toContain("hello from postgres");
  });

  it("a task read right as it finishes never says succeeded without the success in its history", async () => {
    // The history is read from the database after the task (an await): a live task that
    // finished in between once answered "succeeded" with a history that did not have it yet.
    const token = await createToken(server!, "race-agent");
    const ops = api(server!.url, { token: await createToken(server!, "race-ops", "submit") });
    const agents = await Promise.all(
      [0, 1].map((i) => connectAgent({ server: server!.url, token, card: { name: `race-${i}`, slots: 4, capabilities: ["race"] }, onTask: () => new Promise((r) => setTimeout(() => r(null), 20)) })),
    );
    try {
      const inconsistent: string[] = [];
      for (let round = 0; round < 4; round++) {
        const sub = await ops.post("/api/v1/tasks", { tasks: Array.from({ length: 40 }, (_, i) => ({ title: `race ${round}.${i}`, requires: ["race"] })) });
        expect(sub.status).toBe(201);
        const pending = new Set<string>(sub.body.tasks.map((t: { id: string }) => t.id));
        await waitFor(async () => {
          await Promise.all(
            [...pending].map(async (id) => {
              const b = (await ops.get(`/api/v1/tasks/${id}`)).body as { task?: { status: string }; events: { type: string }[] };
              if (b.task?.status !== "succeeded") return;
              pending.delete(id);
              if (!b.events.some((e) => e.type === "succeeded")) inconsistent.push(`${id}: ${b.events.map((e) => e.type).join(",")}`);
            }),
          );
          return pending.size === 0;
        }, "every task to finish", 60_000, 20);
      }
      expect(inconsistent).toEqual([]);
    } finally {
      await Promise.all(agents.map((a) => a.close()));
    }
  });
});
