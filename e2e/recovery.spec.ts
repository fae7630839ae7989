// [RECOVERY] dead letters, incidents, agent health and drain, against the real server and real
// agent processes in Debian Chromium.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { admin, cancelTask, goTo, logIn, registerHttpAgent, submitTask, taskStatus, url } from "./helpers";

const agents: AgentHandle[] = [];

test.afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
});

async function agentState(name: string) {
  const r = await fetch(`${url()}/api/v1/agents`, { headers: admin() });
  return ((await r.json()) as { agents: { id: string; name: string; status: string; health: string; draining: boolean }[] }).agents.find((a) => a.name === name);
}

/** Starts a runner agent and waits until the server has it online; returns its id. */
async function startAgent(name: string, capabilities: string[]): Promise<{ id: string; handle: AgentHandle }> {
  const handle = startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name, capabilities });
  agents.push(handle);
  let id = "";
  await expect
    .poll(async () => {
      const a = await agentState(name);
      id = a && a.status === "online" ? a.id : "";
      return id;
    })
    .not.toBe("");
  return { id, handle };
}

async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("[RECOVERY]: a task nobody takes dies by queue timeout, shows as a dead letter, and requeueing takes it off the list live", async ({ page }) => {
  const title = "e2e recovery: nobody has this <b>not bold</b>";
  const id = await submitTask({ title, command: "true", requires: ["nobody-has-this"], queueTimeoutMs: 1500 });
  await expect.poll(() => taskStatus(id), { timeout: 10_000 }).toBe("dead");

  await logIn(page, "/dead-letters");
  const row = page.locator(`[data-testid="dead-letter-row"][data-task-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("dead-letter-title")).toHaveText(title);
  await expect(row.locator("b")).toHaveCount(0);
  await expect(row.getByTestId("dead-letter-error")).toContainText("queue timeout: no agent took it within 1.5 s");
  await expect(row.getByTestId("dead-letter-link")).toHaveAttribute("href", `/tasks/${id}`);
  // Every attempt's error, behind a disclosure.
  await expect(row.getByTestId("dead-letter-attempts")).toBeHidden();
  await row.getByTestId("dead-letter-attempts-toggle").click();
  await expect(row.getByTestId("dead-letter-attempts")).toContainText("queue timeout");

  // Bulk: select it and requeue the selection. The answer names it; the row leaves at once.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await row.getByTestId("dead-letter-select").check();
  await expect(page.getByTestId("requeue-selected")).toContainText("(1)");
  await page.getByTestId("requeue-selected").click();
  await expect(page.locator(`[data-testid="requeue-result"][data-task-id="${id}"]`)).toHaveAttribute("data-ok", "true");
  await expect(row).toHaveCount(0);
  const events = ((await (await fetch(`${url()}/api/v1/tasks/${id}`, { headers: admin() })).json()) as { events: { type: string }[] }).events;
  expect(events.map((e) => e.type)).toContain("requeued");

  // It dies again 1.5 s later: the `tasks:patch` push brings it back without a reload.
  await expect(row).toBeVisible({ timeout: 10_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The row's own Requeue (tasks.retry) takes it off again.
  await row.getByTestId("requeue-one").click();
  await expect(row).toHaveCount(0);
});

test("[RECOVERY]: a dead workflow step cannot be requeued from the dead letters; the refusal is a sentence", async ({ page }) => {
  const { handle } = await startAgent("e2e-step-runner", ["e2e-step"]);
  const t = await fetch(`${url()}/api/v1/workflows`, {
    method: "POST",
    headers: admin(),
    body: JSON.stringify({ format: "yaml", source: "name: e2e-recovery-step\nsteps:\n  - id: work\n    requires: [e2e-step]\n    command: sleep 30\n" }),
  });
  expect(t.status).toBe(201);
  const r = await fetch(`${url()}/api/v1/workflows/e2e-recovery-step/runs`, { method: "POST", headers: admin(), body: JSON.stringify({ params: {} }) });
  expect(r.status).toBe(201);
  const runId = ((await r.json()) as { run: { id: string } }).run.id;
  let taskId = "";
  await expect
    .poll(async () => {
      const run = ((await (await fetch(`${url()}/api/v1/runs/${runId}`, { headers: admin() })).json()) as { run: { steps: { taskId: string | null }[] } }).run;
      taskId = run.steps[0]?.taskId ?? "";
      return taskId ? await taskStatus(taskId) : "";
    })
    .toBe("running");
  // Its agent dies mid-step; with no attempts left the lost lease makes the step's task dead.
  await handle.stop("SIGKILL");
  await expect.poll(() => taskStatus(taskId), { timeout: 15_000 }).toBe("dead");

  await logIn(page, "/dead-letters");
  const row = page.locator(`[data-testid="dead-letter-row"][data-task-id="${taskId}"]`);
  await expect(row).toContainText(/lease expired|no heartbeat/);
  await row.getByTestId("requeue-one").click();
  await expect(row.getByTestId("dead-letter-refused")).toContainText(`is step work of workflow run ${runId}`);
  await expect(page.locator(`[data-testid="requeue-result"][data-task-id="${taskId}"]`)).toHaveAttribute("data-ok", "false");
  await expect(row).toBeVisible();
});

test("[RECOVERY]: an agent killed with SIGKILL appears as an agent_lost incident live, and its tile shows offline with the reason", async ({ page }) => {
  const { id, handle } = await startAgent("e2e-doomed", ["doomed"]);
  await logIn(page, "/incidents");
  const lostCount = page.getByTestId("incident-count-agent_lost");
  await expect(lostCount).not.toHaveAttribute("data-hour", "");
  const before = Number(await lostCount.getAttribute("data-hour"));
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  await handle.stop("SIGKILL");
  const lost = page.locator(`[data-testid="incident-row"][data-kind="agent_lost"][data-agent-id="${id}"]`).first();
  await expect(lost).toBeVisible();
  await expect(lost).toHaveAttribute("data-live", "true");
  await expect(lost.getByTestId("incident-message")).toContainText("e2e-doomed is offline: connection lost");
  await expect(lost.getByTestId("incident-agent")).toHaveText("e2e-doomed");
  // Newest on top, and the counts went up without a reload.
  await expect(page.getByTestId("incident-row").first()).toHaveAttribute("data-agent-id", id);
  await expect.poll(async () => Number(await lostCount.getAttribute("data-hour"))).toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The kind filter keeps it and hides other kinds.
  await page.getByTestId("incident-filter-kind").selectOption("agent_lost");
  await expect(page.locator(`[data-testid="incident-row"][data-agent-id="${id}"]`).first()).toBeVisible();
  await expect(page.locator('[data-testid="incident-row"]:not([data-kind="agent_lost"])')).toHaveCount(0);
  await expect(page).toHaveURL(/\?kind=agent_lost$/);

  // The fleet: the tile says offline and why; the strip counts it.
  await goTo(page, "fleet");
  const tile = page.locator(`[data-testid="agent-tile"][data-agent-id="${id}"]`);
  await expect(tile).toHaveAttribute("data-status", "offline");
  await expect(tile).toHaveAttribute("data-health", "offline");
  await expect(tile.getByTestId("agent-health")).toContainText("offline — connection lost");
  await expect.poll(async () => Number(await page.getByTestId("incident-strip-agent_lost").getAttribute("data-value"))).toBeGreaterThan(0);
});

test("[RECOVERY]: an operator drains an agent from its page and resumes it", async ({ page }) => {
  const { id } = await startAgent("e2e-drainer", ["drain"]);
  await logIn(page, `/agents/${id}`);
  const detail = page.getByTestId("agent-detail");
  await expect(detail).toHaveAttribute("data-status", "online");
  await expect(detail).toHaveAttribute("data-health", "healthy");
  await expect(page.getByTestId("resume-agent")).toHaveCount(0);

  await page.getByTestId("drain-agent").click();
  await page.getByTestId("drain-agent-confirm").click();
  await expect(detail).toHaveAttribute("data-status", "draining");
  await expect(page.getByTestId("agent-draining")).toBeVisible();
  await expect.poll(async () => (await agentState("e2e-drainer"))?.draining).toBe(true);

  await goTo(page, "fleet");
  const tile = page.locator(`[data-testid="agent-tile"][data-agent-id="${id}"]`);
  await expect(tile).toHaveAttribute("data-status", "draining");
  await expect(tile).toHaveAttribute("data-draining", "true");

  await tile.getByRole("link", { name: "e2e-drainer" }).click();
  await page.getByTestId("resume-agent").click();
  await expect(detail).toHaveAttribute("data-status", "online");
  await expect(page.getByTestId("agent-draining")).toHaveCount(0);
  await expect(page.getByTestId("drain-agent")).toBeVisible();
  await expect.poll(async () => (await agentState("e2e-drainer"))?.status).toBe("online");
});

test("[RECOVERY]: an operator forgets an offline agent: refused while it holds a task, then it leaves every open grid live", async ({ page, browser }) => {
  const name = "e2e-forgettable";
  const agent = await registerHttpAgent(name, { capabilities: ["e2e-forget"], acceptFrom: ["role:admin", "workflow:e2e-release-train"] });
  await logIn(page, `/agents/${agent.id}`);
  const detail = page.getByTestId("agent-detail");
  await expect(detail).toHaveAttribute("data-status", "online");
  await expect(page.getByTestId("agent-kind")).toHaveText("http");
  await expect(page.getByTestId("agent-accept-from")).toHaveText("Runs tasks from: role:admin, workflow:e2e-release-train");
  // A connected agent cannot be forgotten, so it offers no button.
  await expect(page.getByTestId("forget-agent")).toHaveCount(0);

  // An open claim shows live; a task submitted meanwhile answers it.
  const claimed = agent.claim();
  await expect(page.getByTestId("agent-intake")).toHaveAttribute("data-polling", "true");
  const taskId = await submitTask({ title: "e2e recovery: held by an agent that stops", command: "true", requires: ["e2e-forget"] });
  expect((await claimed).map((t) => t.taskId)).toEqual([taskId]);
  await expect(page.getByTestId("agent-intake")).toHaveAttribute("data-polling", "false");
  await expect(page.getByTestId("agent-current-tasks").getByTestId("task-row")).toHaveAttribute("data-task-id", taskId);

  // A second operator watches the grid in another browser, never reloading.
  const context = await browser.newContext();
  try {
    const grid = await context.newPage();
    await logIn(grid, "/");
    const tile = grid.locator(`[data-testid="agent-tile"][data-agent-id="${agent.id}"]`);
    await expect(tile).toHaveAttribute("data-status", "busy");
    await expect(tile.getByTestId("agent-accept-from")).toContainText("from role:admin +1");
    await grid.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // It stops while holding the task: offline at once, with the reason, on both pages.
    await agent.stop();
    await expect(detail).toHaveAttribute("data-status", "offline");
    await expect(page.getByTestId("agent-health")).toHaveText("offline — stopped by its owner");
    await expect(tile).toHaveAttribute("data-status", "offline");
    await expect(tile.getByTestId("agent-health")).toHaveText("offline — stopped by its owner");

    // Forgetting it now would orphan the task: the server refuses, with a sentence.
    await page.getByTestId("forget-agent").click();
    await page.getByTestId("forget-agent-confirm").click();
    await expect(detail.getByRole("alert")).toContainText(`Could not forget: ${name} still holds a task: release it, or wait until its lease expires`);
    await expect(detail).toBeVisible();

    // Once it hands the task back, it goes: the operator lands on the grid, the other grid drops it.
    await agent.release(taskId, 1);
    await expect(page.getByTestId("agent-current-tasks")).toHaveCount(0);
    await page.getByTestId("forget-agent").click();
    await page.getByTestId("forget-agent-confirm").click();
    await expect(page).toHaveURL(url() + "/");
    await expect(page.getByTestId("agent-grid").or(page.getByTestId("fleet-empty"))).toBeVisible();
    await expect(page.locator(`[data-testid="agent-tile"][data-agent-id="${agent.id}"]`)).toHaveCount(0);
    await expect(tile).toHaveCount(0);
    expect(await grid.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await agentState(name)).toBeUndefined();

    // Its address now says it is gone rather than failing.
    await page.goto(`${url()}/agents/${agent.id}`);
    await expect(page.getByRole("alert").filter({ hasText: "not in the fleet" })).toHaveText("This agent is not in the fleet: it was forgotten, or the address is wrong.");
  } finally {
    await context.close();
    await cancelTask(taskId);
  }
});

test("[RECOVERY]: a viewer reads incidents, dead letters and health but gets no requeue or drain controls", async ({ page, browser }) => {
  const viewer = { username: "recovery-viewer", password: "recovery-viewer-pw" };
  await logIn(page, "/users");
  await page.getByTestId("user-username-input").fill(viewer.username);
  await page.getByTestId("user-role-input").selectOption("viewer");
  await page.getByTestId("user-password-input").fill(viewer.password);
  await page.getByTestId("create-user").click();
  await expect(page.locator(`[data-testid="user-row"][data-username="${viewer.username}"]`)).toHaveAttribute("data-role", "viewer");

  const context = await browser.newContext();
  try {
    const v = await context.newPage();
    await v.goto(url() + "/dead-letters");
    await v.getByLabel("Username").fill(viewer.username);
    await v.getByLabel("Password").fill(viewer.password);
    await v.getByTestId("login-submit").click();
    await expect(v.getByTestId("current-user")).toHaveAttribute("data-role", "viewer");
    await expect(v.getByTestId("dead-letter-row").first()).toBeVisible();
    for (const id of ["dead-letter-select", "requeue-one", "dead-letter-bulk", "requeue-selected", "requeue-all"]) await expect(v.getByTestId(id)).toHaveCount(0);
    await expect(v.getByTestId("nav-incidents")).toBeAttached();

    const drainer = (await agentState("e2e-drainer"))!;
    await v.goto(`${url()}/agents/${drainer.id}`);
    await expect(v.getByTestId("agent-health")).toBeVisible();
    await expect(v.getByTestId("drain-agent")).toHaveCount(0);
    await expect(v.getByTestId("resume-agent")).toHaveCount(0);
    const forged = await v.evaluate(async (id) => (await fetch("/api/trpc/agents.drain", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id, drain: true }) })).status, drainer.id);
    expect(forged).toBe(403);
    expect((await agentState("e2e-drainer"))?.draining).toBe(false);

    // An offline agent: an operator could forget it, a viewer gets no button and a forged call fails.
    const gone = await registerHttpAgent("e2e-viewer-sees-offline");
    await gone.stop();
    await v.goto(`${url()}/agents/${gone.id}`);
    await expect(v.getByTestId("agent-health")).toHaveText("offline — stopped by its owner");
    await expect(v.getByTestId("agent-accept-from")).toHaveText("Runs anyone’s tasks");
    await expect(v.getByTestId("forget-agent")).toHaveCount(0);
    const forgedForget = await v.evaluate(async (id) => (await fetch("/api/trpc/agents.forget", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id }) })).status, gone.id);
    expect(forgedForget).toBe(403);
    expect(await agentState("e2e-viewer-sees-offline")).toBeDefined();
  } finally {
    await context.close();
  }
});

test("[RECOVERY]: incidents, dead letters and an agent page fit a 390×844 phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/incidents");
  await expect(page.getByTestId("incident-row").first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  fs.mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/incidents-390x844.png", fullPage: true });

  await goTo(page, "dead-letters");
  const row = page.getByTestId("dead-letter-row").first();
  await expect(row).toBeVisible();
  await row.getByTestId("dead-letter-attempts-toggle").click();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "test-results/dead-letters-390x844.png", fullPage: true });

  const drainer = await agentState("e2e-drainer");
  await page.goto(`${url()}/agents/${drainer!.id}`);
  await expect(page.getByTestId("agent-detail")).toBeVisible();
  await page.getByTestId("drain-agent").click();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "test-results/agent-drain-390x844.png", fullPage: false });

  await goTo(page, "fleet");
  await expect(page.getByTestId("incident-strip")).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "test-results/fleet-strip-390x844.png", fullPage: false });
});
