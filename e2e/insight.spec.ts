// [INSIGHT] the analytics, errors and capacity pages against a real server of their own: two days
// of simulated history replayed through the real scheduler into its store before it starts (what
// `npm run demo -- --history` does), then a real runner agent whose commands fail. Every figure
// the pages show is checked against the REST answer for the same query, at 1440 px and 390 px.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import type { AnalyticsCapacity, AnalyticsErrors, AnalyticsRecommendations, AnalyticsSummary } from "@/lib/api";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, ROOT, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { signedInState } from "./helpers";
import { shortfallsWithin } from "@/components/insight/capacity-chart";
import { formatNumber, formatPerHour, formatRatio, mapeText } from "@/components/insight/format";

test.describe.configure({ mode: "serial" });

const HISTORY_DAYS = 2;
const AGENT = "e2e-insight-runner";
const CAPABILITY = "e2e-insight";
/** Fails the same way every time, with numbers (a pid, a path) that differ: one group. */
const FAILING = `echo "e2e-insight: lock /tmp/e2e-insight-$$.lock is held by pid $$" >&2; exit 3`;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let server: ServerHandle | undefined;
let agent: AgentHandle | undefined;
let adminToken = "";
let session: BrowserContextOptions["storageState"];
let viewerSession: BrowserContextOptions["storageState"];
const VIEWER = { username: "insight-viewer", password: "insight-viewer-pw-1" };

const base = () => server!.url;
const headers = () => ({ authorization: `Bearer ${adminToken}`, "content-type": "application/json" });

async function get<T>(pathAndQuery: string): Promise<T> {
  const r = await fetch(base() + pathAndQuery, { headers: headers() });
  expect(r.status, `${pathAndQuery}: ${await r.clone().text()}`).toBe(200);
  return (await r.json()) as T;
}

async function post(pathAndQuery: string, body: unknown): Promise<Response> {
  return fetch(base() + pathAndQuery, { method: "POST", headers: headers(), body: JSON.stringify(body) });
}

/** Tasks for the runner whose command fails; resolves once each has ended. */
async function fail(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await post("/api/v1/tasks", { title: `e2e insight: fails #${i + 1}`, command: FAILING, requires: [CAPABILITY], retry: { maxAttempts: 1 } });
    expect(r.status, await r.clone().text()).toBe(201);
    ids.push(((await r.json()) as { task: { id: string } }).task.id);
  }
  await expect
    .poll(async () => {
      const states = await Promise.all(ids.map(async (id) => (await get<{ task: { status: string } }>(`/api/v1/tasks/${id}`)).task.status));
      return states.every((s) => s === "failed" || s === "dead");
    }, { timeout: 30_000 })
    .toBe(true);
  return ids;
}

/** Replays simulated history into a fresh data directory the way the demo does, in a child process (the store's code runs under tsx). */
async function replayHistory(dataDir: string) {
  const abs = (p: string) => JSON.stringify(path.join(ROOT, p));
  const script = `
    import { openSqliteStore } from ${abs("server/store/sqlite/index.ts")};
    import { replaySimulatedHistory } from ${abs("server/insight/simulated-history.ts")};
    import { setLogLevel } from ${abs("server/log.ts")};
    setLogLevel("warn");
    const store = await openSqliteStore(${JSON.stringify(`file:${path.join(dataDir, "switchboard.db")}`)});
    await replaySimulatedHistory(store, { days: ${HISTORY_DAYS}, to: Date.now() - 60_000 });
    await store.close();`;
  await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, timeout: 180_000 });
}

const signIn = (browser: Browser, user: { username: string; password: string }) => signedInState(browser, base(), user);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-insight-"));
  await replayHistory(dataDir);
  server = await startServerProcess({ ui: true, dataDir });
  adminToken = await createToken(server, "e2e-insight-admin", "admin");
  agent = startAgentProcess({ server: server.url, token: await createToken(server, "e2e-insight-agent"), name: AGENT, capabilities: [CAPABILITY], slots: 2 });
  await expect.poll(async () => (await get<{ agents: { name: string; status: string }[] }>("/api/v1/agents")).agents.some((a) => a.name === AGENT && a.status === "online"), { timeout: 30_000 }).toBe(true);
  // Enough failures on one agent, against a fleet history that mostly succeeds, for the flaky-agent rule.
  await fail(6);
  const viewer = await post("/api/trpc/users.create", { ...VIEWER, role: "viewer" });
  expect(viewer.status, await viewer.clone().text()).toBe(200);
  session = await signIn(browser, { username: "admin", password: server.password });
  viewerSession = await signIn(browser, VIEWER);
});

test.afterAll(async () => {
  await agent?.stop("SIGKILL");
  await server?.stop();
});

async function open(browser: Browser, pathAndQuery: string, viewport = DESKTOP, state = session) {
  const context = await browser.newContext({ storageState: state, viewport });
  const page = await context.newPage();
  await page.goto(base() + pathAndQuery);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  return { page, close: () => context.close() };
}

async function expectSimulatedBanner(page: Page) {
  const banner = page.getByTestId("simulated-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/^Simulated history: .*\d{2}:\d{2} – .*\d{2}:\d{2}$/);
}

async function expectNoHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("[INSIGHT]: analytics shows the server's figures over a range from the address bar, with the simulated banner and CSV per table", async ({ browser }) => {
  const { page, close } = await open(browser, "/analytics");
  try {
    await expectSimulatedBanner(page);
    await page.getByTestId("range-7d").click();
    await expect(page).toHaveURL(/[?&]range=7d/);
    await expect(page.getByTestId("analytics")).toHaveAttribute("data-range", "7d");
    // Every simulated task lies inside the last 7 days, so the figures hold still between the page's answer and ours.
    const s = await get<AnalyticsSummary>("/api/v1/analytics/summary?range=7d&dimension=capability");
    expect(s.simulated).not.toBeNull();
    await expect(page.getByTestId("simulated-banner")).toHaveAttribute("data-from", String(s.simulated!.from));
    const kpi = page.getByTestId("kpi-throughput");
    await expect(kpi).toHaveAttribute("data-value", String(s.fleet.now.throughputPerHour));
    await expect(kpi.getByTestId("kpi-value")).toHaveText(formatPerHour(s.fleet.now.throughputPerHour));
    await expect(page.getByTestId("kpi-success").getByTestId("kpi-value")).toHaveText(formatRatio(s.fleet.now.successRate));
    await expect(page.getByTestId("kpi-wait-p95")).toHaveAttribute("data-value", String(s.fleet.now.waitP95Ms ?? ""));

    // Breakdown by capability: a row per key, the server's counts.
    const busiest = s.breakdown[0];
    await expect(page.getByTestId("breakdown-row")).toHaveCount(s.breakdown.length);
    const row = page.locator(`[data-testid="breakdown-row"][data-key="${busiest.key}"]`);
    await expect(row.locator('[data-figure="submitted"]')).toHaveAttribute("data-value", String(busiest.now.submitted));
    await expect(row.locator('[data-figure="submitted"]').getByTestId("figure-value")).toHaveText(formatNumber(busiest.now.submitted));
    // By agent: the dimension is in the address bar too.
    await page.getByTestId("dimension-agent").click();
    await expect(page).toHaveURL(/[?&]by=agent/);
    await expect(page.getByTestId("breakdown-table")).toHaveAttribute("data-dimension", "agent");
    await expect(page.locator(`[data-testid="breakdown-row"][data-key="${AGENT}"]`)).toBeVisible();

    await expect(page.getByTestId("utilisation-agents").getByTestId("utilisation-row")).toHaveCount(s.utilisation.agents.length);
    // The heatmap: a row per agent that sent samples, a titled cell per point, and its legend.
    await expect(page.getByTestId("heatmap-row")).toHaveCount(s.resources.agents.length);
    await expect(page.getByTestId("heatmap-row").first().getByTestId("heatmap-cell")).toHaveCount(s.resources.at.length);
    await expect(page.getByTestId("heatmap-cell").first()).toHaveAttribute("title", /CPU \d+ %|no samples/);
    await expect(page.getByTestId("heatmap-legend")).toBeVisible();
    await expect(page.getByTestId("workflow-row")).toHaveCount(s.workflows.length);
    expect(s.bottlenecks.length).toBeGreaterThan(0);
    await expect(page.getByTestId("bottleneck-title")).toHaveText(s.bottlenecks.map((b) => b.title));

    // Recommendations for the same range: the failing runner is flagged, with a drain for an operator.
    const r = await get<AnalyticsRecommendations>("/api/v1/analytics/recommendations?range=7d");
    await expect(page.getByTestId("recommendation-title")).toHaveText(r.recommendations.map((x) => x.title));
    const flaky = page.locator('[data-testid="recommendation"][data-kind="drain_flaky_agent"]').filter({ hasText: AGENT });
    await expect(flaky.getByTestId("recommendation-drain")).toHaveText(`Drain ${AGENT}`);

    // CSV: a download of text/csv with the same rows.
    const link = page.getByTestId("csv-breakdown");
    const href = (await link.getAttribute("href"))!;
    expect(href).toContain("format=csv");
    const answer = await page.request.get(base() + href);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toMatch(/^text\/csv/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    expect(text.split(/\r?\n/)[0]).toMatch(/^agent,label,submitted,/);
    expect(text).toContain(AGENT);
    for (const id of ["csv-utilisation", "csv-workflows", "csv-bottlenecks", "csv-recommendations"]) {
      const res = await page.request.get(base() + (await page.getByTestId(id).getAttribute("href")));
      expect(res.headers()["content-type"], id).toMatch(/^text\/csv/);
    }
    await shoot(page, "analytics-1440");
    await expectNoSeriousViolations(page, "analytics at 1440 px");
  } finally {
    await close();
  }
});

test("[INSIGHT]: errors groups the runner's failures with their trend and occurrences; resolve moves a group out of the open list, a new failure flags it as a regression", async ({ browser }) => {
  // Over 7 days, so the simulated failures do not slip out of the window between the page's answer and ours.
  const { page, close } = await open(browser, "/analytics/errors?range=7d");
  try {
    await expectSimulatedBanner(page);
    await expect(page.getByTestId("range")).toHaveAttribute("data-value", "7d");
    const all = await get<AnalyticsErrors>("/api/v1/analytics/errors?range=7d&status=open");
    await expect(page.getByTestId("error-totals")).toHaveAttribute("data-failures", String(all.totals.failuresInRange));
    await expect(page.getByTestId("error-group")).toHaveCount(all.groups.length);
    // Likely causes the server found are highlighted on their group.
    for (const g of all.groups.filter((x) => x.causes.length > 0)) {
      await expect(page.locator(`[data-testid="error-group"][data-id="${g.id}"]`).getByTestId("error-causes")).toContainText(g.causes[0].message);
    }

    await page.getByTestId("error-search").fill(CAPABILITY);
    await expect(page).toHaveURL(/[?&]q=e2e-insight/);
    const mine = await get<AnalyticsErrors>(`/api/v1/analytics/errors?range=7d&status=open&search=${CAPABILITY}`);
    expect(mine.groups).toHaveLength(1);
    const g = mine.groups[0];
    expect(g.countInRange).toBe(6);
    const card = page.locator(`[data-testid="error-group"][data-id="${g.id}"]`);
    await expect(page.getByTestId("error-group")).toHaveCount(1);
    await expect(card.getByTestId("error-count-in-range")).toHaveText(String(g.countInRange));
    await expect(card.getByTestId("error-title")).toHaveText(g.title);
    await expect(card.getByTestId("error-trend")).toHaveAttribute("data-points", String(g.trend.length));
    await expect(card.getByTestId("error-top-affected")).toContainText(`${AGENT} (${g.affected.agents[0].count})`);
    await expect(card.getByTestId("error-regression")).toHaveCount(0);
    await card.getByTestId("error-group-toggle").click();
    await expect(card.getByTestId("error-sample-log")).toContainText("is held by pid");
    const tasks = card.getByTestId("error-occurrence-task");
    await expect(tasks).toHaveCount(g.recent.length);
    await expect(tasks.first()).toHaveAttribute("href", `/tasks/${g.recent[0].taskId}`);
    await shoot(page, "errors-1440");
    await expectNoSeriousViolations(page, "errors at 1440 px");

    // Resolve: it leaves the open list, and is listed as resolved.
    await card.getByTestId("error-resolve").click();
    await expect(page.getByTestId("error-groups-empty")).toBeVisible();
    await page.getByTestId("error-status-resolved").click();
    await expect(page).toHaveURL(/[?&]status=resolved/);
    await expect(card).toHaveAttribute("data-status", "resolved");
    await expect(card.getByTestId("error-reopen")).toBeVisible();
    expect((await get<AnalyticsErrors>(`/api/v1/analytics/errors?range=7d&status=resolved&search=${CAPABILITY}`)).groups.map((x) => x.id)).toEqual([g.id]);

    // It fails again: open once more, flagged as a regression.
    await fail(1);
    await page.getByTestId("error-status-open").click();
    await expect(card).toHaveAttribute("data-status", "open");
    await expect(card.getByTestId("error-regression")).toBeVisible();
    await expect(card).toHaveAttribute("data-regression", "true");
    const back = await get<AnalyticsErrors>(`/api/v1/analytics/errors?range=7d&status=open&search=${CAPABILITY}`);
    expect(back.groups[0].reopenedAt).not.toBeNull();

    const csv = await page.request.get(base() + (await page.getByTestId("csv-errors").getAttribute("href")));
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(g.id);
  } finally {
    await close();
  }
});

test("[INSIGHT]: capacity shows each capability's forecast error, method and shortfalls as the server words them, for the chosen wait target and horizon", async ({ browser }) => {
  const { page, close } = await open(browser, "/capacity");
  try {
    await expectSimulatedBanner(page);
    const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await page.getByTestId("target-300000").click();
    await expect(page).toHaveURL(/[?&]target=300000/);
    await expect(page.getByTestId("capacity")).toHaveAttribute("data-target-ms", "300000");
    // The plan moves on the hour: fetch ours until it matches what the page shows.
    await expect(async () => {
      const c = await get<AnalyticsCapacity>(`/api/v1/analytics/capacity?targetWaitMs=300000&timeZone=${encodeURIComponent(timeZone)}`);
      expect(c.simulated).not.toBeNull();
      await expect(page.getByTestId("capacity-card")).toHaveCount(c.capabilities.length, { timeout: 1000 });
      for (const p of c.capabilities) {
        const card = page.locator(`[data-testid="capacity-card"][data-capability="${p.capability}"]`);
        await expect(card.getByTestId("capacity-mape")).toHaveText(mapeText(p.mape), { timeout: 1000 });
        await expect(card).toContainText(p.method, { timeout: 1000 });
        await expect(card.getByTestId("capacity-slots-now")).toHaveText(String(p.slotsNow), { timeout: 1000 });
        const { shown } = shortfallsWithin(p, "24h");
        await expect(card.getByTestId("capacity-shortfall")).toHaveText(shown.map((s) => s.text), { timeout: 1000 });
      }
      const runner = c.capabilities.find((p) => p.capability === CAPABILITY);
      expect(runner?.slotsNow).toBe(2);
    }).toPass({ timeout: 30_000 });
    // The simulated capabilities have history enough for a forecast drawn against a backtest.
    const withHistory = page.locator('[data-testid="capacity-card"]').filter({ has: page.getByTestId("capacity-demand-chart") });
    await expect(withHistory.first()).toBeVisible();
    await expect(withHistory.first().locator(".recharts-surface").first()).toBeVisible();

    await page.getByTestId("horizon-7d").click();
    await expect(page).toHaveURL(/[?&]horizon=7d/);
    const c = await get<AnalyticsCapacity>(`/api/v1/analytics/capacity?targetWaitMs=300000&timeZone=${encodeURIComponent(timeZone)}`);
    const short = c.capabilities.find((p) => p.shortfalls.length > 0);
    if (short) await expect(page.locator(`[data-testid="capacity-card"][data-capability="${short.capability}"]`).getByTestId("capacity-shortfall")).toHaveCount(short.shortfalls.length);
    const csv = await page.request.get(base() + (await page.getByTestId("csv-capacity").getAttribute("href")));
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    await shoot(page, "capacity-1440");
    await expectNoSeriousViolations(page, "capacity at 1440 px");
  } finally {
    await close();
  }
});

test("[INSIGHT]: on a 390 px phone the three pages fit the screen, say they are simulated and are reached from the menu", async ({ browser }) => {
  const { page, close } = await open(browser, "/analytics", PHONE);
  try {
    for (const [link, testId, name] of [
      ["analytics", "analytics", "analytics-390"],
      ["errors", "error-groups", "errors-390"],
      ["capacity", "capacity", "capacity-390"],
    ] as const) {
      await page.getByTestId("nav-menu").click();
      await page.getByTestId(`nav-${link}`).click();
      await expect(page.getByTestId(`nav-${link}`)).toBeHidden();
      await expect(page.getByTestId(testId)).toBeVisible();
      await expectSimulatedBanner(page);
      await expectNoHorizontalOverflow(page);
      await shoot(page, name);
      await expectNoSeriousViolations(page, `${name}`);
    }
    await page.getByTestId("nav-menu").click();
    await expect(page.getByTestId("nav-capacity")).toHaveAttribute("aria-current", "page");
  } finally {
    await close();
  }
});

test("[INSIGHT]: a viewer reads every insight page but gets no Resolve, Ignore or Drain", async ({ browser }) => {
  const { page, close } = await open(browser, "/analytics/errors?status=all", DESKTOP, viewerSession);
  try {
    await expect(page.getByTestId("current-user")).toHaveText(VIEWER.username);
    await expect(page.getByTestId("error-group").first()).toBeVisible();
    await expect(page.getByTestId("error-resolve")).toHaveCount(0);
    await expect(page.getByTestId("error-ignore")).toHaveCount(0);
    await expect(page.getByTestId("error-reopen")).toHaveCount(0);
    await page.goto(`${base()}/analytics?range=7d`);
    const flaky = page.locator('[data-testid="recommendation"][data-kind="drain_flaky_agent"]').filter({ hasText: AGENT });
    await expect(flaky.getByTestId("recommendation-instruction")).toContainText(`an operator can drain ${AGENT}`);
    await expect(page.getByTestId("recommendation-drain")).toHaveCount(0);
  } finally {
    await close();
  }
});

test("[INSIGHT]: an operator drains the flaky runner from its recommendation, after confirming", async ({ browser }) => {
  const { page, close } = await open(browser, "/analytics?range=7d");
  try {
    const flaky = page.locator('[data-testid="recommendation"][data-kind="drain_flaky_agent"]').filter({ hasText: AGENT });
    await flaky.getByTestId("recommendation-drain").click();
    await flaky.getByTestId("recommendation-drain-confirm").click();
    await expect(flaky.getByTestId("recommendation-drained")).toContainText(`${AGENT} is draining`);
    await expect.poll(async () => (await get<{ agents: { name: string; draining: boolean }[] }>("/api/v1/agents")).agents.find((a) => a.name === AGENT)?.draining).toBe(true);
  } finally {
    await close();
  }
});
