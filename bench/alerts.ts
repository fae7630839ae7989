// npm run bench:alerts -- [--rounds 20]
//
// Condition → notification, measured end to end on the real server: each round starts a real
// `switchboard agent`, waits until it is online, SIGKILLs it, and times (a) the signed webhook
// reaching a real HTTP receiver on 127.0.0.1 with that agent's AgentOffline alert, and (b) the
// `alerts:changed` push reaching a dashboard socket; then brings nothing back (each round uses a
// new agent name, so each is its own alert). The clock starts at the kill, so the figures
// include noticing the agent is gone. Prints RESULT; target: p95 ≤ 1000 ms for both.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { io } from "socket.io-client";
import type { WebhookPayload } from "@/server/core/alerts/delivery";
import { startAgentProcess } from "@/testing/agent-process";
import { createToken, startServerProcess, waitFor } from "@/testing/server-process";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "20" } } });
const ROUNDS = Number(values.rounds);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const arrivals = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const now = performance.now();
      for (const a of (JSON.parse(body) as WebhookPayload).alerts) if (a.status === "firing" && a.labels.agent && !arrivals.has(a.labels.agent)) arrivals.set(a.labels.agent, now);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const server = await startServerProcess();
  try {
    const admin = await createToken(server, "bench-alerts", "admin");
    const agentToken = await createToken(server, "bench-alerts-agents");
    const post = (path: string, body: unknown) => fetch(`${server.url}/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const c = await post("/alerts/channels", { name: "bench hook", kind: "webhook", url, secret: "bench-alerts-secret-0123456789", matchers: ['alertname="AgentOffline"'] });
    if (c.status !== 201) throw new Error(`channel: ${c.status} ${await c.text()}`);
    const pushes: number[] = [];
    const socket = io(`${server.url}/dashboard`, { auth: { token: admin }, transports: ["websocket"] });
    socket.on("alerts:changed", () => pushes.push(performance.now()));
    await new Promise<void>((r, j) => {
      socket.once("connect", () => r());
      socket.once("connect_error", j);
    });
    const notify: number[] = [];
    const push: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const name = `bench-al-${i}`;
      const agent = startAgentProcess({ server: server.url, token: agentToken, name, capabilities: ["bench"], slots: 1 });
      await waitFor(async () => ((await (await fetch(`${server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { agents: { name: string; status: string }[] }).agents.some((a) => a.name === name && a.status === "online"), `${name} online`, 30_000, 20);
      await new Promise((r) => setTimeout(r, 200));
      const pushedBefore = pushes.length;
      const t0 = performance.now();
      await agent.stop("SIGKILL");
      await waitFor(async () => arrivals.has(name) && pushes.length > pushedBefore, `${name}'s alert`, 30_000, 5);
      notify.push(arrivals.get(name)! - t0);
      push.push(pushes[pushedBefore] - t0);
    }
    socket.close();
    const f = (xs: number[], p: number) => pct(xs, p).toFixed(0);
    console.log(
      `RESULT bench=alerts rounds=${ROUNDS} notify_p50_ms=${f(notify, 50)} notify_p95_ms=${f(notify, 95)} notify_max_ms=${f(notify, 100)} push_p50_ms=${f(push, 50)} push_p95_ms=${f(push, 95)} target_ms=1000 ${pct(notify, 95) <= 1000 && pct(push, 95) <= 1000 ? "ok" : "OVER"}`,
    );
  } finally {
    await server.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}

await main();
