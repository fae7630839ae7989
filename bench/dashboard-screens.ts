// Screenshots of the pages bench:dashboard measures, for a visual check before and after a
// change: `tsx bench/dashboard-screens.ts <out dir> [agents]` starts the production build with
// runner agents and a few real tasks, signs in, and writes fleet/tasks at 1440 and 390 px.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startAgentProcess } from "@/testing/agent-process";
import { adminCookie, createToken, startServerProcess, waitFor } from "@/testing/server-process";

const out = path.resolve(process.argv[2] ?? "/tmp/dashboard-screens");
const AGENTS = Number(process.argv[3] ?? 6);
fs.mkdirSync(out, { recursive: true });
const server = await startServerProcess({ ui: true, env: { SWITCHBOARD_LOG_LEVEL: "warn", SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000" } });
const agentToken = await createToken(server, "screens", "agent");
const submit = await createToken(server, "screens-submit", "submit");
const agents = Array.from({ length: AGENTS }, (_, i) => startAgentProcess({ server: server.url, token: agentToken, name: `runner-${i + 1}`, capabilities: ["shell"], slots: 2 }));
try {
  for (let i = 0; i < 30; i++) {
    await fetch(`${server.url}/api/v1/tasks`, { method: "POST", headers: { authorization: `Bearer ${submit}`, "content-type": "application/json" }, body: JSON.stringify({ title: `build web-${i}`, command: i % 7 === 6 ? "exit 2" : "echo ok", requires: ["shell"] }) });
  }
  await waitFor(async () => {
    const r = await fetch(`${server.url}/api/v1/stats`, { headers: { authorization: `Bearer ${submit}` } });
    const s = (await r.json()) as { agents: { online: number }; tasks: { queued: number; running: number; assigned: number } };
    return s.agents.online >= AGENTS && s.tasks.queued + s.tasks.running + s.tasks.assigned === 0;
  }, "agents online, tasks done", 60_000, 300);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const [name, value] = (await adminCookie(server)).split(/=(.*)/s);
  for (const width of [1440, 390]) {
    const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 }, deviceScaleFactor: 1 });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    for (const [p, file, ready] of [["/", "fleet", "agent-tile"], ["/tasks", "tasks", "task-row"]] as const) {
      await page.goto(server.url + p);
      await page.getByTestId(ready).first().waitFor();
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(out, `${file}-${width}.png`), fullPage: false });
    }
    await context.close();
  }
  await browser.close();
  console.log(`screenshots in ${out}`);
} finally {
  await Promise.all(agents.map((a) => a.stop()));
  await server.stop();
}
process.exit(0);
