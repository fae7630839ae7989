// Shared by the e2e specs: the server global-setup started, logging in, and REST calls with
// the admin token for arranging state.
import { expect, type Page } from "@playwright/test";

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

export async function submitTask(spec: Record<string, unknown>): Promise<string> {
  const r = await fetch(`${url()}/api/v1/tasks`, { method: "POST", headers: admin(), body: JSON.stringify(spec) });
  expect(r.status).toBe(201);
  return ((await r.json()) as { task: { id: string } }).task.id;
}

export async function taskStatus(id: string): Promise<string> {
  const r = await fetch(`${url()}/api/v1/tasks/${id}`, { headers: admin() });
  return ((await r.json()) as { task: { status: string } }).task.status;
}
