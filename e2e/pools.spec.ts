// [POOLS] The pools pages against a real server of its own, whose `local` pool starts real
// runner processes: an admin creates a pool through the form (a refused one keeps its input and
// names the field), its page follows a burst of tasks live — up to max, "at max", "scaled 0 → …",
// and back to zero after; an operator lowers max through the bounds form and sees it hold; a
// viewer gets no controls; an admin deletes it. Axe-clean at 1440 and 390 px.
// Pool agents are detached processes that outlive the server by design: every PID this spec
// ever saw is SIGKILLed in afterAll.
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { signedInState } from "./helpers";

test.describe.configure({ mode: "serial" });

const POOL = "e2e-burst";
const CAP = "e2e-pool";
const OPERATOR = { username: "pools-operator", password: "pools-operator-pw-1" };
const VIEWER = { username: "pools-viewer", password: "pools-viewer-pw-1" };
const PHONE = { width: 390, height: 844 };

let server: ServerHandle | undefined;
let adminToken = "";
let submitToken = "";
let session: BrowserContextOptions["storageState"];
let operatorSession: BrowserContextOptions["storageState"];
let viewerSession: BrowserContextOptions["storageState"];
const seenPids = new Set<number>();
let tracker: ReturnType<typeof setInterval> | undefined;

const base = () => server!.url;
const headers = (token = adminToken) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

interface PoolBody {
  current: number;
  instances: { name: string; state: string; pid: number | null }[];
}

/** The pool over REST; every PID it lists is remembered for afterAll. */
async function poolNow(): Promise<PoolBody | null> {
  const r = await fetch(`${base()}/api/v1/pools/${POOL}`, { headers: headers() });
  if (r.status !== 200) return null;
  const p = (await r.json()) as PoolBody;
  for (const i of p.instances) if (i.pid) seenPids.add(i.pid);
  return p;
}

async function submitBurst(n: number, what: string): Promise<string[]> {
  const tasks = Array.from({ length: n }, (_, i) => ({ title: `${what} ${i}`, command: "sleep 1", requires: [CAP], retry: { maxAttempts: 1 } }));
  const r = await fetch(`${base()}/api/v1/tasks`, { method: "POST", headers: headers(submitToken), body: JSON.stringify({ tasks }) });
  expect(r.status, await r.clone().text()).toBe(201);
  return ((await r.json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
}

async function allSucceeded(ids: string[]) {
  const statuses = await Promise.all(ids.map(async (id) => ((await (await fetch(`${base()}/api/v1/tasks/${id}`, { headers: headers(submitToken) })).json()) as { task: { status: string } }).task.status));
  return statuses.every((s) => s === "succeeded");
}

async function open(browser: Browser, p: string, viewport = { width: 1440, height: 900 }, state = session) {
  const context = await browser.newContext({ storageState: state, viewport });
  const page = await context.newPage();
  await page.goto(base() + p);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  return { page, close: () => context.close() };
}

async function expectNoSeriousViolations(page: Page, what: string) {
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: process.env.SB_SHOTS_DIR ? path.join(process.env.SB_SHOTS_DIR, name) : test.info().outputPath(name), fullPage: true });
const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  server = await startServerProcess({ ui: true });
  adminToken = await createToken(server, "e2e-pools-admin", "admin");
  submitToken = await createToken(server, "e2e-pools-submit", "submit");
  for (const [user, role] of [
    [OPERATOR, "operator"],
    [VIEWER, "viewer"],
  ] as const) {
    const r = await fetch(`${base()}/api/trpc/users.create`, { method: "POST", headers: headers(), body: JSON.stringify({ ...user, role }) });
    expect(r.status, await r.clone().text()).toBe(200);
  }
  session = await signedInState(browser, base(), { username: "admin", password: server.password });
  operatorSession = await signedInState(browser, base(), OPERATOR);
  viewerSession = await signedInState(browser, base(), VIEWER);
  tracker = setInterval(() => void poolNow().catch(() => undefined), 250);
});

test.afterAll(async () => {
  if (tracker) clearInterval(tracker);
  if (server) await poolNow().catch(() => undefined);
  for (const pid of seenPids) {
    for (const target of [-pid, pid]) {
      try {
        // The runner starts detached, in a process group of its own: its task's children go with it.
        process.kill(target, "SIGKILL");
      } catch {
        /* gone already */
      }
    }
  }
  await server?.stop();
});

test("[POOLS]: an admin creates a local pool through the form; a refused one keeps its input and names the field", async ({ browser }) => {
  const { page, close } = await open(browser, "/pools");
  try {
    await expect(page.getByTestId("pools-empty")).toBeVisible();
    await page.getByTestId("pool-new").click();
    const form = page.getByTestId("pool-form");
    await form.getByLabel("Name").fill(POOL);
    await form.getByTestId("pool-capabilities-input").fill(CAP);
    await form.getByTestId("pool-capabilities-input").press("Enter");
    await expect(form.getByTestId("pool-capabilities-input-chip")).toHaveText(/e2e-pool:1/);
    await form.getByLabel("Slots per agent").fill("1");
    await form.getByLabel("Min agents").fill("3");
    await form.getByLabel("Max agents").fill("2");
    await form.getByTestId("pool-create").click();
    // The server's sentence, beside Max, and nothing typed is lost.
    await expect(form.getByTestId("field-error")).toHaveText("must be at least min");
    await expect(form.getByLabel("Max agents")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByRole("alert")).toContainText("Max agents: must be at least min.");
    await expect(form.getByLabel("Name")).toHaveValue(POOL);
    await expect(form.getByTestId("pool-capabilities-input-chip")).toHaveCount(1);
    await shot(page, "pools-form-error-1440.png");
    await expectNoSeriousViolations(page, "pools with a refused form at 1440 px");

    await form.getByLabel("Min agents").fill("0");
    await form.getByLabel("Max agents").fill("3");
    // Tight timings, so the pool scales within seconds.
    await form.getByText("Advanced policy").click();
    await expect(form.getByLabel("Up: period (s)")).toHaveValue("15");
    await form.getByLabel("Up: period (s)").fill("1");
    await form.getByLabel("Down: period (s)").fill("1");
    await form.getByLabel("Down: agents per step").fill("3");
    await form.getByLabel("Down: stabilisation (s)").fill("3");
    await form.getByLabel("Cooldown (s)").fill("2");
    await form.getByLabel("Drain timeout (s)").fill("5");
    await form.getByTestId("pool-create").click();
    await expect(page).toHaveURL(`${base()}/pools/${POOL}`);
    await expect(page.getByTestId("pool-detail")).toHaveAttribute("data-max", "3");
    await expect(page.getByTestId("pool-policy")).toContainText("Scales up by at most 4 agents or 100 % every second.");
    await expect(page.getByTestId("pool-policy")).toContainText("following the highest wish of the last 3 s, and not for 2 s after any change");
  } finally {
    await close();
  }
  const created = (await (await fetch(`${base()}/api/v1/pools/${POOL}`, { headers: headers() })).json()) as { provider: string; card: { capabilities: unknown; slots: number }; policy: Record<string, unknown> };
  expect(created).toMatchObject({ provider: "local", card: { capabilities: [{ name: CAP, level: 1 }], slots: 1 }, policy: { min: 0, max: 3, up: { periodMs: 1000 }, down: { periodMs: 1000, stabilizationMs: 3000 }, cooldownMs: 2000 } });
});

test("[POOLS]: the pool page follows a burst live: up to max, at max, scaled 0 → …, and back to zero after", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page, close } = await open(browser, `/pools/${POOL}`);
  try {
    const detail = page.getByTestId("pool-detail");
    await expect(detail).toHaveAttribute("data-current", "0");
    const ids = await submitBurst(20, "e2e pool burst");
    await expect(page.getByTestId("pool-current")).toHaveText("3", { timeout: 30_000 });
    await expect(page.getByTestId("pool-at-max")).toBeVisible();
    await expect(page.getByTestId("decision-text").filter({ hasText: /^scaled 0 → [1-3]: backlog \d+ tasks over target 1 per slot/ }).first()).toBeVisible();
    await expect(page.getByTestId("decision").filter({ has: page.locator('[data-rule="max"]') }).first()).toBeVisible();
    await expect(page.getByTestId("pool-chart").locator(".recharts-wrapper")).toBeVisible();
    // The agents connect: running, a PID, a link to the agent's page.
    const connected = page.getByTestId("instance").filter({ has: page.getByTestId("instance-link") });
    await expect(connected.first()).toBeVisible({ timeout: 30_000 });
    await expect(connected.first()).toHaveAttribute("data-pid", /^\d+$/);
    await shot(page, "pool-at-max-1440.png");
    await expectNoSeriousViolations(page, "a pool at max at 1440 px");

    await expect.poll(() => allSucceeded(ids), { timeout: 90_000, intervals: [500] }).toBe(true);
    await expect(page.getByTestId("pool-current")).toHaveText("0", { timeout: 60_000 });
    await expect(page.getByTestId("decision").filter({ hasText: /^.*scaled [1-3] → 0/ }).first()).toBeVisible();
    await expect(page.getByTestId("pool-at-max")).toHaveCount(0);
    await expect(page.getByTestId("instance")).toHaveCount(0, { timeout: 30_000 });
    await shot(page, "pool-after-1440.png");
  } finally {
    await close();
  }
});

test("[POOLS]: an operator lowers max to 2 through the bounds form and the pool keeps to it", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page, close } = await open(browser, `/pools/${POOL}`, undefined, operatorSession);
  try {
    const bounds = page.getByTestId("bounds-form");
    await expect(page.getByTestId("pool-delete")).toHaveCount(0);
    await bounds.getByLabel("Max agents").fill("0");
    await bounds.getByTestId("bounds-save").click();
    await expect(bounds.getByTestId("field-error")).toHaveText("must be at least 1");
    await bounds.getByLabel("Max agents").fill("2");
    await bounds.getByTestId("bounds-save").click();
    await expect(bounds.getByTestId("bounds-saved")).toHaveText("Saved: min 0, max 2.");
    await expect(page.getByTestId("pool-detail")).toHaveAttribute("data-max", "2");
    await expect(page.getByTestId("pool-policy")).toContainText("Between 0 and 2 agents");

    const ids = await submitBurst(10, "e2e pool bounded");
    await expect(page.getByTestId("pool-current")).toHaveText("2", { timeout: 30_000 });
    await expect(page.getByTestId("pool-at-max")).toBeVisible();
    await expect(page.getByTestId("pool-last")).toContainText("the maximum is 2");
    // The list says so too, on a second tab.
    const list = await page.context().newPage();
    await list.goto(`${base()}/pools`);
    await expect(list.getByTestId("pool-row").getByTestId("pool-at-max")).toBeVisible();
    await expect(list.getByTestId("pool-row").getByTestId("pool-bounds")).toHaveText("min 0 – max 2");
    await shot(list, "pools-at-max-1440.png");
    await list.close();
    // Never more than two while the burst runs.
    await expect.poll(async () => ((await poolNow())?.current ?? 0) <= 2 && (await allSucceeded(ids)), { timeout: 90_000, intervals: [500] }).toBe(true);
    await expect(page.getByTestId("pool-current")).toHaveText("0", { timeout: 60_000 });
  } finally {
    await close();
  }
});

test("[POOLS]: a viewer reads the pools but gets no New pool, bounds, pause or delete", async ({ browser }) => {
  const { page, close } = await open(browser, "/pools", undefined, viewerSession);
  try {
    await expect(page.getByTestId("pool-row")).toHaveCount(1);
    await expect(page.getByTestId("pool-new")).toHaveCount(0);
    await shot(page, "pools-1440.png");
    await page.getByTestId("pool-link").click();
    await expect(page).toHaveURL(`${base()}/pools/${POOL}`);
    await expect(page.getByTestId("pool-policy")).toBeVisible();
    await expect(page.getByTestId("decision").first()).toBeVisible();
    await expect(page.getByTestId("bounds-form")).toHaveCount(0);
    await expect(page.getByTestId("pool-pause")).toHaveCount(0);
    await expect(page.getByTestId("pool-delete")).toHaveCount(0);
  } finally {
    await close();
  }
});

test("[POOLS]: on a 390 px phone the list, the form and the pool page fit, reached from the menu, axe-clean", async ({ browser }) => {
  const { page, close } = await open(browser, "/", PHONE);
  try {
    await page.getByTestId("nav-menu").click();
    await page.getByTestId("nav-pools").click();
    await expect(page).toHaveURL(`${base()}/pools`);
    await expect(page.getByTestId("nav-menu")).toBeVisible();
    await expect(page.getByTestId("pool-row")).toHaveCount(1);
    await noOverflow(page);
    await shot(page, "pools-390.png");
    await expectNoSeriousViolations(page, "pools at 390 px");

    await page.getByTestId("pool-new").click();
    await page.getByText("Advanced policy").click();
    await expect(page.getByLabel("Cooldown (s)")).toBeVisible();
    await noOverflow(page);
    await shot(page, "pools-form-390.png");
    await expectNoSeriousViolations(page, "the New pool form at 390 px");

    await page.goto(`${base()}/pools/${POOL}`);
    await expect(page.getByTestId("decision").first()).toBeVisible();
    await expect(page.getByTestId("pool-chart").locator(".recharts-wrapper")).toBeVisible();
    await noOverflow(page);
    await shot(page, "pool-390.png");
    await expectNoSeriousViolations(page, "a pool at 390 px");
  } finally {
    await close();
  }
});

test("[POOLS]: an admin pauses and resumes the pool, then deletes it after a confirm", async ({ browser }) => {
  const { page, close } = await open(browser, `/pools/${POOL}`);
  try {
    await page.getByTestId("pool-pause").click();
    await page.getByTestId("pool-pause-confirm").click();
    await expect(page.getByTestId("pool-paused")).toBeVisible();
    await expect(page.getByTestId("pool-policy")).toContainText("Paused");
    await page.getByTestId("pool-resume").click();
    await expect(page.getByTestId("pool-paused")).toHaveCount(0);

    await page.getByTestId("pool-delete").click();
    await expect(page.getByText(`Delete ${POOL}?`)).toBeVisible();
    await page.getByTestId("pool-delete-confirm").click();
    await expect(page).toHaveURL(`${base()}/pools`);
    await expect(page.getByTestId("pools-empty")).toBeVisible();
  } finally {
    await close();
  }
  expect((await fetch(`${base()}/api/v1/pools/${POOL}`, { headers: headers() })).status).toBe(404);
});
