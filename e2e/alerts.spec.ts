// [ALERTS] The alerts page against a real server of its own and real runners: killing one makes
// the built-in AgentOffline rule fire, and the page (open before it happened) shows it live with
// a badge in the nav; an operator acknowledges it and silences another; history lists every
// transition; a viewer reads but gets no actions; the page fits a 390 px phone.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { signedInState } from "./helpers";

test.describe.configure({ mode: "serial" });

const VIEWER = { username: "alerts-viewer", password: "alerts-viewer-pw-1" };
let server: ServerHandle | undefined;
let adminToken = "";
let agentToken = "";
let session: BrowserContextOptions["storageState"];
let viewerSession: BrowserContextOptions["storageState"];
const agents = new Map<string, AgentHandle>();

const base = () => server!.url;
const headers = () => ({ authorization: `Bearer ${adminToken}`, "content-type": "application/json" });

async function agentOnline(name: string) {
  await expect
    .poll(async () => ((await (await fetch(`${base()}/api/v1/agents`, { headers: headers() })).json()) as { agents: { name: string; status: string }[] }).agents.some((a) => a.name === name && a.status === "online"), { timeout: 30_000 })
    .toBe(true);
}

const signIn = (browser: Browser, user: { username: string; password: string }) => signedInState(browser, base(), user);

async function open(browser: Browser, path: string, viewport = { width: 1440, height: 900 }, state = session) {
  const context = await browser.newContext({ storageState: state, viewport });
  const page = await context.newPage();
  await page.goto(base() + path);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  return { page, close: () => context.close() };
}

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  server = await startServerProcess({ ui: true });
  adminToken = await createToken(server, "e2e-alerts-admin", "admin");
  agentToken = await createToken(server, "e2e-alerts-agents");
  for (const name of ["e2e-al-1", "e2e-al-2"]) agents.set(name, startAgentProcess({ server: base(), token: agentToken, name, capabilities: ["e2e-alerts"], slots: 1 }));
  for (const name of agents.keys()) await agentOnline(name);
  const viewer = await fetch(`${base()}/api/trpc/users.create`, { method: "POST", headers: headers(), body: JSON.stringify({ ...VIEWER, role: "viewer" }) });
  expect(viewer.status, await viewer.clone().text()).toBe(200);
  session = await signIn(browser, { username: "admin", password: server.password });
  viewerSession = await signIn(browser, VIEWER);
});

test.afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop("SIGKILL")));
  await server?.stop();
});

test("[ALERTS]: a killed agent fires live on the open page with a nav badge; acknowledge and silence from its card; history lists it", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts");
  try {
    await expect(page.getByTestId("alerts-firing")).toContainText("Nothing is firing.");
    await agents.get("e2e-al-1")!.stop("SIGKILL");
    const card = page.getByTestId("alerts-firing").getByTestId("alert").filter({ hasText: "e2e-al-1" });
    await expect(card).toBeVisible();
    await expect(card.getByTestId("alert-name")).toHaveText("AgentOffline");
    await expect(card.getByTestId("alert-summary")).toContainText("agent e2e-al-1 offline");
    await expect(page.getByTestId("alerts-badge")).toHaveAttribute("data-count", "1");

    await card.getByTestId("alert-ack").click();
    await card.getByTestId("alert-ack-comment").fill("restarting it");
    await card.getByTestId("alert-ack-confirm").click();
    await expect(card.getByTestId("alert-acknowledged")).toContainText("Acknowledged by admin");
    await expect(card.getByTestId("alert-acknowledged")).toContainText("restarting it");

    // The second agent goes too; silencing it moves it to Silenced, and the badge counts only the unsilenced one.
    await agents.get("e2e-al-2")!.stop("SIGKILL");
    const second = page.getByTestId("alerts-firing").getByTestId("alert").filter({ hasText: "e2e-al-2" });
    await expect(page.getByTestId("alerts-badge")).toHaveAttribute("data-count", "2");
    await second.getByTestId("alert-silence").click();
    await expect(page.getByTestId("alerts-silenced").getByTestId("alert").filter({ hasText: "e2e-al-2" })).toBeVisible();
    await expect(page.getByTestId("alerts-badge")).toHaveAttribute("data-count", "1");
    await expect(page.getByTestId("silence").first()).toContainText('agent="e2e-al-2"');
    await expect(page.getByTestId("alert-transition").filter({ hasText: "pending → firing" }).first()).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("alerts-1440.png"), fullPage: true });
    await expectNoSeriousViolations(page, "alerts at 1440 px");
  } finally {
    await close();
  }
});

test("[ALERTS]: a new alert pops up as a toast on any page, and as a browser notification once allowed", async ({ browser }) => {
  const context = await browser.newContext({ storageState: session, viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(["notifications"], { origin: base() });
  // Records what the page asks the browser to show (headless Chromium shows nothing itself).
  await context.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class Recorded {
      static permission = "granted";
      static requestPermission = async () => "granted";
      constructor(title: string, opts?: { body?: string }) {
        shown.push({ title, body: opts?.body ?? "" });
      }
    }
    (window as unknown as { Notification: unknown }).Notification = Recorded;
  });
  const page = await context.newPage();
  try {
    await page.goto(base() + "/tasks");
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
    agents.set("e2e-al-3", startAgentProcess({ server: base(), token: agentToken, name: "e2e-al-3", capabilities: ["e2e-alerts"], slots: 1 }));
    await agentOnline("e2e-al-3");
    await agents.get("e2e-al-3")!.stop("SIGKILL");
    const toast = page.getByTestId("alert-toast").filter({ hasText: "agent e2e-al-3 offline" });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText("AgentOffline");
    await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications)).toContainEqual({ title: "AgentOffline (critical)", body: expect.stringContaining("agent e2e-al-3 offline") });
    await toast.getByRole("link", { name: "Open alerts" }).click();
    await expect(page).toHaveURL(/\/alerts$/);
    await expect(page.getByTestId("browser-notifications")).toHaveAttribute("data-state", "granted");
  } finally {
    await context.close();
  }
});

test("[ALERTS]: a viewer reads the alerts but gets no Acknowledge, Silence or End now", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts", undefined, viewerSession);
  try {
    await expect(page.getByTestId("alert").first()).toBeVisible();
    await expect(page.getByTestId("alert-ack")).toHaveCount(0);
    await expect(page.getByTestId("alert-silence")).toHaveCount(0);
    await expect(page.getByTestId("silence-expire")).toHaveCount(0);
  } finally {
    await close();
  }
});

test("[ALERTS]: on a 390 px phone the page fits, is reached from the menu, and ending the silence brings the alert back to Firing", async ({ browser }) => {
  const { page, close } = await open(browser, "/", { width: 390, height: 844 });
  try {
    await page.getByTestId("nav-menu").click();
    await expect(page.getByTestId("nav-alerts").getByTestId("alerts-count")).toHaveAttribute("data-count", "2");
    await page.getByTestId("nav-alerts").click();
    await expect(page.getByTestId("alerts-firing")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.getByTestId("silence-expire").first().click();
    await expect(page.getByTestId("alerts-firing").getByTestId("alert").filter({ hasText: "e2e-al-2" })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("alerts-390.png"), fullPage: true });
    await expectNoSeriousViolations(page, "alerts at 390 px");
  } finally {
    await close();
  }
});
