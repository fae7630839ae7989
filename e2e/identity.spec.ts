// [IDENTITY] users with roles, what a viewer may see and do, agent text as text, the audit log.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { admin, logIn, submitTask, taskStatus, url } from "./helpers";


const VIEWER = { username: "viewer-1", password: "viewer-password-1" };
const ADMIN = () => ({ username: "admin", password: process.env.SB_PASSWORD! });
const XSS_TITLE = `<img src=x onerror="window.__xss=1">`;
const XSS_ECHO = `<script>window.__xss=2</script>`;

// The tests build on each other: (a) creates the viewer that (b) signs in as.
test.describe.configure({ mode: "serial" });

let agent: AgentHandle | undefined;
let waitingTaskId = "";
let gateRunId = "";

test.beforeAll(async () => {
  // A task nobody can take stays queued: an operator could cancel it, a viewer may not.
  waitingTaskId = await submitTask({ title: "e2e identity: waits forever", command: "echo never", requires: ["identity-nobody"] });
  // A run that stops at an approval gate at once.
  const t = await fetch(`${url()}/api/v1/workflows`, {
    method: "POST",
    headers: admin(),
    body: JSON.stringify({ format: "yaml", source: "name: e2e-identity-gate\nsteps:\n  - id: gate\n    type: approval\n    description: Waits for an operator.\n" }),
  });
  expect(t.status).toBe(201);
  const r = await fetch(`${url()}/api/v1/workflows/e2e-identity-gate/runs`, { method: "POST", headers: admin(), body: JSON.stringify({ params: {} }) });
  expect(r.status).toBe(201);
  gateRunId = ((await r.json()) as { run: { id: string } }).run.id;
});

test.afterAll(async () => {
  await agent?.stop("SIGKILL");
});

/** A browser context of its own, so its session cookie is not the admin's. */
async function viewerPage(browser: Browser, path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, path, VIEWER);
  return { page, close: () => context.close() };
}

async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("[IDENTITY]: an admin creates a viewer on /users; the server's refusals read as sentences", async ({ page }) => {
  await logIn(page, "/users", ADMIN());
  await expect(page.locator('[data-testid="user-row"][data-username="admin"]')).toHaveAttribute("data-role", "admin");

  // Too short a password: the server's sentence.
  await page.getByTestId("user-username-input").fill(VIEWER.username);
  await page.getByTestId("user-role-input").selectOption("viewer");
  await page.getByTestId("user-password-input").fill("short");
  await page.getByTestId("create-user").click();
  await expect(page.getByTestId("create-user-form").getByRole("alert")).toContainText("at least 10 characters");

  await page.getByTestId("user-password-input").fill(VIEWER.password);
  await page.getByTestId("create-user").click();
  const row = page.locator(`[data-testid="user-row"][data-username="${VIEWER.username}"]`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("data-role", "viewer");
  await expect(row).toHaveAttribute("data-state", "active");

  // An admin cannot demote themselves; the row says why and keeps the role.
  const me = page.locator('[data-testid="user-row"][data-username="admin"]');
  await me.getByTestId("user-role").selectOption("viewer");
  await expect(me.getByRole("alert")).toContainText("cannot demote yourself");
  await expect(me).toHaveAttribute("data-role", "admin");

  // The same queued task offers an admin Cancel (so its absence for the viewer below means something).
  await page.goto(`${url()}/tasks/${waitingTaskId}`);
  await expect(page.getByTestId("cancel-task")).toBeVisible();
});

test("[IDENTITY]: a viewer sees the data but no actions, and a forged mutation is refused with 403", async ({ browser }) => {
  const { page, close } = await viewerPage(browser, `/tasks/${waitingTaskId}`);
  try {
    await expect(page.getByTestId("current-user")).toHaveAttribute("data-role", "viewer");
    // The data is there…
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-task-id", waitingTaskId);
    await expect(page.getByTestId("task-status").first()).toHaveAttribute("data-status", "queued");
    await expect(page.getByTestId("why-waiting")).toBeVisible();
    // …the actions and the admin pages are not.
    await expect(page.getByTestId("cancel-task")).toHaveCount(0);
    await expect(page.getByTestId("retry-task")).toHaveCount(0);
    await expect(page.getByTestId("nav-traffic")).toBeAttached();
    // The API reference is for everyone: a viewer's Settings holds it alone.
    await expect(page.getByTestId("nav-api")).toBeAttached();
    for (const link of ["nav-users", "nav-tokens", "nav-audit", "nav-submit"]) await expect(page.getByTestId(link)).toHaveCount(0);

    // Forged from the page itself (same origin, the viewer's cookie): the server refuses.
    const forged = await page.evaluate(async (id) => {
      const post = (path: string, body: unknown) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const cancel = await post("/api/trpc/tasks.cancel", { id });
      const promote = await post("/api/trpc/users.create", { username: "sneaky", password: "sneaky-password-1", role: "admin" });
      return { cancel: cancel.status, cancelBody: await cancel.text(), promote: promote.status };
    }, waitingTaskId);
    expect(forged.cancel).toBe(403);
    expect(forged.cancelBody).toContain("Not allowed for your role (viewer)");
    expect(forged.promote).toBe(403);
    expect(await taskStatus(waitingTaskId)).toBe("queued");

    await page.goto(`${url()}/tasks`);
    await expect(page.getByTestId("task-row").first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Submit a task" })).toHaveCount(0);

    await page.goto(`${url()}/runs`);
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${gateRunId}"]`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Start a run" })).toHaveCount(0);

    await page.goto(`${url()}/runs/${gateRunId}?step=gate`);
    await expect(page.getByTestId("step-panel")).toHaveAttribute("data-status", "waiting_approval");
    await expect(page.getByTestId("cancel-run")).toHaveCount(0);
    await expect(page.getByTestId("approve-step")).toHaveCount(0);
    await expect(page.getByTestId("reject-step")).toHaveCount(0);

    await page.goto(`${url()}/approvals`);
    const gate = page.locator(`[data-testid="approval-row"][data-run-id="${gateRunId}"]`);
    await expect(gate).toBeVisible();
    await expect(gate).toContainText("Waits for an operator.");
    await expect(page.getByTestId("approval-approve")).toHaveCount(0);
    await expect(page.getByTestId("approval-reject")).toHaveCount(0);
    await expect(page.getByTestId("approval-comment")).toHaveCount(0);

    await page.goto(`${url()}/workflows/e2e-identity-gate`);
    await expect(page.getByTestId("template-detail")).toBeVisible();
    await expect(page.getByTestId("edit-template")).toHaveCount(0);
    await expect(page.getByTestId("trigger-form")).toHaveCount(0);

    await page.goto(`${url()}/messages?channel=e2e-identity`);
    await expect(page.getByTestId("conversation")).toBeVisible();
    await expect(page.getByTestId("message-input")).toHaveCount(0);

    // Typing an admin page's address shows why, not the page.
    await page.goto(`${url()}/users`);
    await expect(page.getByTestId("not-allowed")).toContainText("this needs an admin");
    await expect(page.getByTestId("user-list")).toHaveCount(0);
  } finally {
    await close();
  }
});

test("[IDENTITY]: a task's hostile title and log render as text, never as markup", async ({ page }) => {
  agent = startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-identity-runner", capabilities: ["identity-xss"] });
  const id = await submitTask({ title: XSS_TITLE, command: `echo '${XSS_ECHO}'`, requires: ["identity-xss"] });
  await logIn(page, `/tasks/${id}`, ADMIN());
  await expect(page.getByTestId("task-status").first()).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("task-title")).toHaveText(XSS_TITLE);
  await expect(page.getByTestId("task-log")).toContainText(XSS_ECHO);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  await page.goto(`${url()}/tasks?q=${encodeURIComponent("onerror")}`);
  await expect(page.locator(`[data-testid="task-row"][data-task-id="${id}"]`)).toContainText(XSS_TITLE);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test("[IDENTITY]: the audit log shows who created the viewer, without the password", async ({ page }) => {
  await logIn(page, "/audit", ADMIN());
  await page.getByTestId("audit-filter-action").fill("users.create");
  const entry = page.locator('[data-testid="audit-row"][data-action="users.create"][data-actor="admin"][data-outcome="ok"]').filter({ hasText: VIEWER.username });
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId("audit-target")).toContainText(VIEWER.username);
  await expect(entry.getByTestId("audit-details")).toContainText('"role": "viewer"');
  await expect(entry.getByTestId("audit-details")).not.toContainText(VIEWER.password);
  // The viewer's forged calls were recorded as refused.
  await page.getByTestId("audit-filter-action").fill("");
  await page.getByTestId("audit-filter-outcome").selectOption("denied");
  await expect(page.locator(`[data-testid="audit-row"][data-action="tasks.cancel"][data-actor="${VIEWER.username}"]`).first()).toBeVisible();
});

test("[IDENTITY]: an agent token submits tasks only when made to; the token list says which may, and who made each", async ({ page }) => {
  await logIn(page, "/tokens", ADMIN());
  const form = page.getByTestId("create-token-form");
  const mayAlsoSubmit = page.getByLabel("This agent may also submit tasks");
  /** Creates a token from the form; returns its secret. */
  async function create(name: string, scope: string, canSubmit: boolean) {
    await page.getByTestId("token-name-input").fill(name);
    await page.getByTestId("token-scope-input").selectOption(scope);
    if (scope === "agent") await mayAlsoSubmit.setChecked(canSubmit);
    await page.getByTestId("create-token").click();
    const secret = (await page.getByTestId("token-secret-value").textContent())!.trim();
    await page.getByRole("button", { name: "I have copied it" }).click();
    await expect(form).toBeVisible();
    return secret;
  }

  // The choice exists only for agent tokens, is off by default, and says why.
  await expect(mayAlsoSubmit).not.toBeChecked();
  await expect(page.getByTestId("token-can-submit")).toHaveAccessibleDescription(/tasks are shell commands/);
  await page.getByTestId("token-scope-input").selectOption("submit");
  await expect(mayAlsoSubmit).toHaveCount(0);

  const plain = await create("e2e-agent-plain", "agent", false);
  const helper = await create("e2e-agent-may-submit", "agent", true);
  const row = (name: string) => page.locator(`[data-testid="token-row"][data-token-name="${name}"]`);
  await expect(row("e2e-agent-plain").getByTestId("token-scope")).toHaveText("agent");
  await expect(row("e2e-agent-plain").getByTestId("token-scope")).toHaveAttribute("data-can-submit", "false");
  await expect(row("e2e-agent-may-submit").getByTestId("token-scope")).toHaveText("agent · may submit");
  await expect(row("e2e-agent-may-submit").getByTestId("token-created-by")).toHaveText("by admin");
  // After a reload too: the list is the server's, not the form's memory.
  await page.reload();
  await expect(row("e2e-agent-may-submit").getByTestId("token-scope")).toHaveText("agent · may submit");
  await expect(row("e2e-agent-plain").getByTestId("token-created-by")).toHaveText("by admin");

  // The server agrees: only the second may submit, and its task says who it was.
  const submit = (secret: string) =>
    fetch(`${url()}/api/v1/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "e2e identity: from an agent", command: "true", requires: ["identity-nobody"] }),
    });
  const refused = await submit(plain);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain("an agent token allowed to submit");
  const accepted = await submit(helper);
  expect(accepted.status).toBe(201);
  const id = ((await accepted.json()) as { task: { id: string } }).task.id;
  await page.goto(`${url()}/tasks/${id}`);
  await expect(page.getByTestId("task-submitter")).toHaveText("Submitted by token e2e-agent-may-submit (agent, made by admin)");
  await page.getByTestId("cancel-task").click();
  await page.getByTestId("cancel-task-confirm").click();
  await expect(page.getByTestId("task-status").first()).toHaveAttribute("data-status", "canceled");
});

test("[IDENTITY]: users, audit, traffic and tokens fit a 390 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/traffic", ADMIN());
  await expect(page.getByTestId("traffic-chart")).toBeVisible();
  await expect(page.getByTestId("route-row").first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  for (const [path, ready] of [
    ["/users", "user-list"],
    ["/audit", "audit-list"],
    ["/tokens", "create-token-form"],
  ] as const) {
    await page.goto(url() + path);
    await expect(page.getByTestId(ready)).toBeVisible();
    await expectNoHorizontalOverflow(page);
  }
});
