// [WORKFLOWS] trigger a template from the UI, watch it run live, approve its gate on a phone.
import { expect, test, type Page } from "@playwright/test";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { logIn, url } from "./helpers";

let agent: AgentHandle;

const TEMPLATE = `
name: e2e-flow
description: A small flow for the browser tests.
params:
  - { name: message, type: string, required: true }
  - { name: copies, type: number, default: 2 }
steps:
  - id: hello
    requires: [e2eflow]
    command: echo "{{params.message}}"
  - id: fan
    parallel: "{{params.copies}}"
    dependsOn: [hello]
    requires: [e2eflow]
    command: echo "copy {{index}}"
  - id: review
    type: approval
    dependsOn: [fan]
    description: Approve to finish.
  - id: done
    dependsOn: [review]
    requires: [e2eflow]
    command: echo finished
`;

test.beforeAll(async () => {
  const r = await fetch(`${url()}/api/v1/workflows`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.SB_ADMIN_TOKEN}` },
    body: JSON.stringify({ source: TEMPLATE, format: "yaml" }),
  });
  expect(r.status).toBe(201);
  agent = startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-flow-agent", capabilities: ["e2eflow"], slots: 3 });
});
test.afterAll(async () => {
  await agent?.stop("SIGKILL");
});

const node = (page: Page, id: string) => page.locator(`[data-testid="run-node"][data-step-id="${id}"]`);

test("[WORKFLOWS]: trigger with parameters, nodes turn green live, approve the gate from the inbox at phone width", async ({ page }) => {
  await logIn(page, "/workflows/e2e-flow");
  await page.getByTestId("param-message").fill("hi from the browser");
  await page.getByTestId("param-copies").fill("3");
  await page.getByTestId("start-run").click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const runUrl = page.url();

  // The graph has the fanned-out copies and turns green without a reload.
  for (const id of ["hello", "fan_1", "fan_2", "fan_3"]) await expect(node(page, id)).toHaveAttribute("data-status", "succeeded");
  await expect(node(page, "review")).toHaveAttribute("data-status", "waiting_approval");
  await expect(node(page, "done")).toHaveAttribute("data-status", "pending");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url() + "/approvals");
  const row = page.getByTestId("approval-row").filter({ hasText: "e2e-flow" }).first();
  await expect(row).toBeVisible();
  await row.getByTestId("approval-comment").fill("approved from a phone");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/approvals-390x844.png" });
  await row.getByTestId("approval-approve").click();
  await expect(page.getByTestId("approval-row").filter({ hasText: "e2e-flow" })).toHaveCount(0);

  await page.goto(runUrl);
  await expect(node(page, "done")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("run-status").first()).toContainText(/succeeded/i);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload(); // React Flow fits the view on first load only
  await expect(node(page, "done")).toBeVisible();
  await page.screenshot({ path: "test-results/run-1280.png", fullPage: true });
  await page.goto(url() + "/runs?template=e2e-flow");
  await expect(page.getByTestId("run-row").first()).toContainText(/succeeded/i);
});

test("[WORKFLOWS]: the editor validates as you type, names a cycle, previews the graph and saves a version", async ({ page }) => {
  await logIn(page, "/workflows/new");
  const editor = page.getByTestId("template-editor");
  await editor.fill("name: e2e-editor\nsteps:\n  - { id: a, dependsOn: [c], command: x }\n  - { id: b, dependsOn: [a], command: x }\n  - { id: c, dependsOn: [b], command: x }\n");
  await expect(page.getByTestId("template-validity")).toHaveAttribute("data-state", "invalid");
  await expect(page.getByTestId("template-issues")).toContainText("cycle: a → b → c → a");
  await expect(page.getByTestId("save-template")).toBeDisabled();

  await editor.fill("name: e2e-editor\nsteps:\n  - { id: a, command: 'echo a' }\n  - { id: b, dependsOn: [a], parallel: 2, command: 'echo b' }\n  - { id: c, dependsOn: [b], command: 'echo c' }\n");
  await expect(page.getByTestId("template-validity")).toHaveAttribute("data-state", "valid");
  await expect(page.getByTestId("preview-node")).toHaveCount(4);
  await page.getByTestId("save-template").click();
  await expect(page).toHaveURL(/\/workflows\/e2e-editor/);
});
