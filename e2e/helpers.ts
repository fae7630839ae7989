// Shared by the e2e specs: the server global-setup started, logging in, and REST calls with
// the admin token for arranging state.
import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";

export const url = () => process.env.SB_URL!;
export const admin = () => ({ authorization: `Bearer ${process.env.SB_ADMIN_TOKEN}`, "content-type": "application/json" });

/**
 * Opens `path` in a fresh browser context, which sends it to the login page, signs in and waits
 * until the page is hydrated: the live socket connects from an effect, so once it is up the
 * forms react to input (filling a server-rendered form before that loses the input). With a
 * `user`, also waits until the nav shows who is signed in (`auth.me` answered).
 */
export async function logIn(page: Page, path = "/", user?: { username: string; password: string }) {
  await page.goto(url() + path);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("Username").fill(user?.username ?? "admin");
  await page.getByLabel("Password").fill(user?.password ?? process.env.SB_PASSWORD!);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(url() + path);
  await expect(page.getByTestId("live-status").first()).toHaveAttribute("data-status", "connected");
  if (user) await expect(page.getByTestId("current-user")).toHaveText(user.username);
}

/** For specs with a server of their own: signs in at `base` and returns the session to open pages with. */
export async function signedInState(browser: Browser, base: string, user: { username: string; password: string }): Promise<BrowserContextOptions["storageState"]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login/);
  const state = await context.storageState();
  await context.close();
  return state;
}

export async function submitTask(spec: Record<string, unknown>): Promise<string> {
  const r = await fetch(`${url()}/api/v1/tasks`, { method: "POST", headers: admin(), body: JSON.stringify(spec) });
  expect(r.status).toBe(201);
  return ((await r.json()) as { task: { id: string } }).task.id;
}

export async function taskStatus(id: string): Promise<string> {
  const r = await fetch(`${url()}/api/v1/tasks/${id}`, { headers: admin() });
  return ((await r.json()) as { task: { status: string } }).task.status;
}

/**
 * Follows the nav link `nav-<testId>` the way a user would: opens its group's menu on a desktop,
 * or the Menu sheet on a phone, first when the link is folded away.
 */
export async function goTo(page: Page, testId: string) {
  const link = page.getByTestId(`nav-${testId}`);
  if (!(await link.isVisible())) {
    const menu = page.getByTestId("nav-menu");
    if (await menu.isVisible()) {
      await menu.click();
    } else {
      const group = await link.locator("xpath=ancestor::*[@data-nav-group][1]").getAttribute("data-nav-group");
      await page.getByTestId(`nav-group-${group}`).click();
    }
  }
  await link.click();
}

/**
 * An HTTP agent the test drives by hand (register, claim, release, stop) with the agent token,
 * for states a runner process passes through too quickly to look at. Its lease is long, so it
 * stays online (and keeps what it claims) until the test stops it.
 */
export async function registerHttpAgent(name: string, card: Record<string, unknown> = {}) {
  const headers = { authorization: `Bearer ${process.env.SB_TOKEN}`, "content-type": "application/json" };
  const post = (path: string, body: unknown = {}) => fetch(`${url()}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const r = await post("/agents/register", { name, kind: "http", leaseTtlMs: 600_000, ...card });
  expect(r.status, await r.clone().text()).toBe(200);
  const id = ((await r.json()) as { agentId: string }).agentId;
  return {
    id,
    /** Long-polls for work; resolves with the task ids it was given. */
    claim: async (waitS = 10) => {
      const c = await post(`/agents/${id}/claim?wait=${waitS}`);
      expect(c.status).toBe(200);
      return ((await c.json()) as { tasks: { taskId: string; attempt: number }[] }).tasks;
    },
    release: async (taskId: string, attempt: number) => expect((await post(`/tasks/${taskId}/release`, { attempt })).status).toBe(200),
    /** Offline at once, "stopped by its owner"; what it holds stays held until its lease runs out. */
    stop: async () => expect((await post(`/agents/${id}/stop`)).status).toBe(200),
  };
}

export async function cancelTask(id: string) {
  await fetch(`${url()}/api/v1/tasks/${id}/cancel`, { method: "POST", headers: admin(), body: "{}" });
}
