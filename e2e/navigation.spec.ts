// [NAV] the grouped navigation on a desktop and a phone, and the sign-in page's quiet start.
import { expect, test, type Page } from "@playwright/test";
import { admin, goTo, logIn, url } from "./helpers";

/** An approval gate that waits, so the pending badge has something to count. */
async function seedPendingApproval() {
  const t = await fetch(`${url()}/api/v1/workflows`, {
    method: "POST",
    headers: admin(),
    body: JSON.stringify({ format: "yaml", source: "name: e2e-nav-gate\nsteps:\n  - id: gate\n    type: approval\n    description: Keeps the badge lit.\n" }),
  });
  expect(t.status).toBe(201);
  const r = await fetch(`${url()}/api/v1/workflows/e2e-nav-gate/runs`, { method: "POST", headers: admin(), body: JSON.stringify({ params: {} }) });
  expect(r.status).toBe(201);
}

/** The element shows its whole text: not cut by an ellipsis or its box. */
async function expectNotTruncated(page: Page, testId: string) {
  const el = page.getByTestId(testId);
  await expect(el).toBeVisible();
  const { scroll, client } = await el.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
}

test("[NAV]: the sign-in page opens no dashboard socket and logs no error", async ({ page }) => {
  const sockets: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/socket.io/")) sockets.push(r.url());
  });
  page.on("websocket", (ws) => sockets.push(ws.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`${url()}/login`);
  await expect(page.getByTestId("login-form")).toBeVisible();
  // Hydrated: the form's submit handler is attached, so a socket would have been opened by now.
  await page.waitForLoadState("networkidle");
  expect(sockets).toEqual([]);
  expect(errors).toEqual([]);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(process.env.SB_PASSWORD!);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  expect(sockets.length).toBeGreaterThan(0);
});

test("[NAV]: on a desktop the groups are menus a keyboard can work; the pending badge shows while they are closed", async ({ page }) => {
  await seedPendingApproval();
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/runs");
  await expectNotTruncated(page, "current-user");
  await expect(page.getByTestId("nav-menu")).toBeHidden();
  const work = page.getByTestId("nav-group-work");
  await expect(work).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByTestId("nav-tasks")).toBeHidden();
  // The count rides on the closed group.
  await expect(work.getByTestId("approvals-badge")).toBeVisible();
  expect(Number(await work.getByTestId("approvals-badge").getAttribute("data-count"))).toBeGreaterThan(0);

  // Keyboard: focus the button, open with Enter, arrows walk the links, Escape closes and returns.
  await work.focus();
  await page.keyboard.press("Enter");
  await expect(work).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByTestId("nav-tasks")).toBeVisible();
  await expect(page.getByTestId("nav-runs")).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("nav-tasks")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("nav-submit")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(work).toHaveAttribute("aria-expanded", "false");
  await expect(work).toBeFocused();
  await expect(page.getByTestId("nav-tasks")).toBeHidden();

  // ArrowDown on a closed group opens it on its first link; Tab out of it closes it.
  const health = page.getByTestId("nav-group-health");
  await health.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("nav-alerts")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(health).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(health).toHaveAttribute("aria-expanded", "false");

  // One menu at a time; a click outside closes it; following a link closes it and marks the page.
  await work.click();
  await health.click();
  await expect(work).toHaveAttribute("aria-expanded", "false");
  await expect(health).toHaveAttribute("aria-expanded", "true");
  await page.getByRole("heading", { level: 1 }).click();
  await expect(health).toHaveAttribute("aria-expanded", "false");
  await goTo(page, "incidents");
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(health).toHaveAttribute("aria-expanded", "false");
  await health.click();
  await expect(page.getByTestId("nav-incidents")).toHaveAttribute("aria-current", "page");
});

test("[NAV]: on a phone one Menu button opens every group in a sheet; the user's name reads whole", async ({ page }) => {
  await seedPendingApproval();
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/");
  await expectNotTruncated(page, "current-user");
  const menu = page.getByTestId("nav-menu");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu.getByTestId("approvals-badge")).toBeVisible();
  await expect(page.getByTestId("nav-group-work")).toBeHidden();
  await expect(page.getByTestId("nav-runs")).toBeHidden();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  for (const id of ["tasks", "submit", "workflows", "runs", "approvals", "fleet", "channels", "incidents", "dead-letters", "traffic", "alerts", "analytics", "errors", "capacity", "tokens", "users", "audit", "api"]) await expect(page.getByTestId(`nav-${id}`)).toBeVisible();
  await expect(page.getByTestId("nav-fleet")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("logout")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  await goTo(page, "runs");
  await expect(page).toHaveURL(/\/runs$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByTestId("nav-runs")).toBeHidden();
});
