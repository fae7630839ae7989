// [DASHBOARD] the real server and real agents, driven in Debian Chromium.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { admin, cancelTask, logIn, registerHttpAgent, submitTask, url } from "./helpers";

const agents: AgentHandle[] = [];

test.afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop("SIGKILL")));
});

test("[AUTH]: a wrong password is refused with a sentence; the right one logs in", async ({ page }) => {
  await page.goto(url() + "/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByTestId("login-submit").click();
  await expect(page.getByText("Wrong username or password.")).toBeVisible();
  await page.getByLabel("Password").fill(process.env.SB_PASSWORD!);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(url() + "/");
});

test("[FLEET]: an agent that starts appears in the grid live, without a reload", async ({ page }) => {
  await logIn(page);
  const tile = page.locator('[data-testid="agent-tile"][data-agent-name="e2e-live"]');
  await expect(tile).toHaveCount(0);
  agents.push(startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-live", capabilities: ["shell", "e2e:2"], slots: 2 }));
  await expect(tile).toBeVisible();
  await expect(tile).toHaveAttribute("data-status", "online");
});

test("[TASKS]: a task submitted from the form completes and its log shows without a reload", async ({ page }) => {
  agents.push(startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-runner", capabilities: ["shell", "e2erun:3"] }));
  await logIn(page, "/tasks/new");
  await page.getByTestId("task-title-input").fill("e2e: print two lines");
  await page.getByTestId("task-command-input").fill("echo first-line; sleep 1; echo second-line >&2; echo '<b>not bold</b>'");
  await page.getByTestId("task-requires-input").fill("e2erun:3");
  await page.getByTestId("task-requires-input").press("Enter");
  await page.getByTestId("submit-task").click();
  await expect(page).toHaveURL(/\/tasks\/t_/);
  const log = page.getByTestId("task-log");
  await expect(log).toContainText("first-line");
  await expect(log).toContainText("second-line");
  await expect(page.getByTestId("task-status").first()).toContainText(/succeeded/i);
  await expect(page.getByTestId("task-submitter")).toHaveText("Submitted by admin (admin)");
  // Agent output is text, never markup.
  await expect(log).toContainText("<b>not bold</b>");
  await expect(log.locator("b")).toHaveCount(0);
  // The list shows it too, and its status filter finds it.
  await page.goto(url() + "/tasks?status=succeeded");
  await expect(page.getByTestId("task-row").filter({ hasText: "e2e: print two lines" })).toBeVisible();
  await page.getByTestId("task-filter-search").fill("no such title anywhere");
  await expect(page.getByTestId("tasks-empty")).toBeVisible();
  await page.getByTestId("task-filter-search").fill("print two");
  await expect(page.getByTestId("task-row").filter({ hasText: "e2e: print two lines" })).toBeVisible();
});

test("[TASKS]: a task nobody can run says why it waits, and can be canceled", async ({ page }) => {
  await logIn(page, "/tasks/new");
  await page.getByTestId("task-title-input").fill("e2e: needs a gpu");
  await page.getByTestId("task-command-input").fill("nvidia-smi");
  await page.getByTestId("task-requires-input").fill("gpu:2");
  await page.getByTestId("task-requires-input").press("Enter");
  await page.getByTestId("submit-task").click();
  await expect(page).toHaveURL(/\/tasks\/t_/);
  await expect(page.getByTestId("why-waiting")).toContainText("No agent has capability gpu");
  await page.getByTestId("cancel-task").click();
  await page.getByTestId("cancel-task-confirm").click();
  await expect(page.getByTestId("task-status").first()).toContainText(/canceled/i);
  await expect(page.getByTestId("retry-task")).toBeVisible();
});

test("[TASKS]: a task whose only capable agent runs other submitters' tasks says so, and who submitted it", async ({ page }) => {
  const picky = await registerHttpAgent("e2e-picky", { capabilities: ["e2e-picky"], acceptFrom: ["workflow:e2e-release-train"] });
  // Submitted with the admin token global-setup made (as the admin user).
  const id = await submitTask({ title: "e2e: not from the release train", command: "true", requires: ["e2e-picky"] });
  try {
    await logIn(page, `/tasks/${id}`);
    await expect(page.getByTestId("task-submitter")).toHaveText("Submitted by token e2e-admin (admin, made by admin)");
    const why = page.getByTestId("why-waiting");
    await expect(why).toHaveAttribute("data-code", "not_accepted");
    await expect(why.getByRole("heading")).toHaveText("Why waiting: No matching agent runs tasks from this submitter");
    await expect(why).toContainText("run only tasks from workflow:e2e-release-train");
    await page.goto(`${url()}/agents/${picky.id}`);
    await expect(page.getByTestId("agent-accept-from")).toHaveText("Runs tasks from: workflow:e2e-release-train");
  } finally {
    await picky.stop();
    await cancelTask(id);
  }
});

test("[FLEET]: the grid fits a 390×844 phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page);
  await expect(page.locator('[data-testid="agent-tile"]').first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  fs.mkdirSync("test-results", { recursive: true });
  await page.screenshot({ path: "test-results/fleet-390x844.png", fullPage: false });
});

test("[MESSAGES]: an operator's message and a script's message appear in the agent's conversation live", async ({ page }) => {
  agents.push(startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-talker", capabilities: ["talk"] }));
  const auth = { authorization: `Bearer ${process.env.SB_TOKEN}`, "content-type": "application/json" };
  let id = "";
  await expect
    .poll(async () => {
      const r = await fetch(`${url()}/api/v1/agents`, { headers: auth });
      const list = ((await r.json()) as { agents: { id: string; name: string; status: string }[] }).agents;
      id = list.find((a) => a.name === "e2e-talker" && a.status !== "offline")?.id ?? "";
      return id;
    })
    .not.toBe("");
  await logIn(page, `/agents/${id}`);
  await page.getByTestId("message-input").fill("please rebase on main");
  await page.getByTestId("send-message").click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation).toContainText("please rebase on main");
  // A script posts with a token that may create work (an agent's token may not, since it cannot submit).
  const r = await fetch(`${url()}/api/v1/messages`, { method: "POST", headers: admin(), body: JSON.stringify({ to: { agent: "e2e-talker" }, body: "from a script <i>not italic</i>", importance: "high" }) });
  expect(r.status).toBe(201);
  await expect(conversation).toContainText("from a script <i>not italic</i>");
  await expect(conversation.locator("i")).toHaveCount(0);
});

test("[MESSAGES]: an operator posts on a channel and the channel's agent receives it", async ({ page }) => {
  agents.push(startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-listener", capabilities: ["listen"], extraArgs: ["--channel", "e2e-ops"] }));
  await logIn(page, "/messages?channel=e2e-ops");
  await expect
    .poll(async () => {
      const r = await fetch(`${url()}/api/v1/agents`, { headers: { authorization: `Bearer ${process.env.SB_TOKEN}` } });
      return ((await r.json()) as { agents: { name: string; status: string }[] }).agents.some((a) => a.name === "e2e-listener" && a.status !== "offline");
    })
    .toBe(true);
  await page.getByTestId("message-input").fill("maintenance at noon");
  await page.getByTestId("send-message").click();
  await expect(page.getByTestId("conversation")).toContainText("maintenance at noon");
  // The runner logs one line per message it receives (and acknowledges it).
  const listener = agents[agents.length - 1];
  await expect.poll(() => listener.output()).toMatch(/message 1 from admin: maintenance at noon/);
});
