// [WORKFLOWS] trigger a template from the UI, watch it run live, approve its gate on a phone.
import { expect, test, type Page } from "@playwright/test";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { admin, logIn, url } from "./helpers";

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

  // A step's task names the workflow that submitted it and who started the run, and leads back to it.
  const runId = runUrl.split("/runs/")[1];
  const run = (await (await fetch(`${url()}/api/v1/runs/${runId}`, { headers: admin() })).json()) as { run: { steps: { id: string; taskId: string | null }[] } };
  await page.goto(`${url()}/tasks/${run.run.steps.find((s) => s.id === "hello")!.taskId}`);
  await expect(page.getByTestId("task-submitter")).toHaveText("Submitted by workflow e2e-flow (triggered by admin)");
  await page.getByTestId("task-submitter").getByRole("link", { name: "e2e-flow" }).click();
  await expect(page).toHaveURL(runUrl);
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

const LEGIBLE = `
name: e2e-legible
steps:
  - id: plan
    requires: [e2eflow]
    command: |
      echo '{"branch": "feature/legible"}' > "$SWITCHBOARD_RESULT_FILE"
  - id: shard
    parallel: 3
    dependsOn: [plan]
    title: "Shard {{index}} of {{steps.plan.result.branch}}"
    requires: [e2eflow]
    command: echo shard
  - id: gate
    type: approval
    dependsOn: [shard]
  - id: merge
    dependsOn: [gate]
    title: "Merge {{steps.plan.result.branch}}"
    requires: [e2eflow]
    command: echo merged
`;

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test("[WORKFLOWS]: graphs read at 100 %: copies in index order, references as chips, the selected step never under its panel", async ({ page }) => {
  const t = await fetch(`${url()}/api/v1/workflows`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${process.env.SB_ADMIN_TOKEN}` }, body: JSON.stringify({ source: LEGIBLE, format: "yaml" }) });
  expect(t.status, await t.clone().text()).toBe(201);
  const r = await fetch(`${url()}/api/v1/workflows/e2e-legible/runs`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${process.env.SB_ADMIN_TOKEN}` }, body: JSON.stringify({ params: {} }) });
  expect(r.status).toBe(201);
  const runUrl = `/runs/${((await r.json()) as { run: { id: string } }).run.id}`;

  // The template's preview: copies top to bottom in order, titles at a readable size.
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/workflows/e2e-legible");
  const preview = (id: string) => page.locator(`[data-testid="preview-node"][data-step-id="${id}"]`);
  await expect(preview("shard_3")).toBeVisible();
  const previewBoxes = await Promise.all(["shard_1", "shard_2", "shard_3"].map(async (id) => (await preview(id).boundingBox())!));
  const across = (await page.getByTestId("template-preview").getAttribute("data-direction")) === "LR" ? "y" : "x";
  expect(previewBoxes[0][across]).toBeLessThan(previewBoxes[1][across]);
  expect(previewBoxes[1][across]).toBeLessThan(previewBoxes[2][across]);
  // 14 px titles, never shown below 0.8: at least 11 px on screen.
  const onScreenPx = await preview("plan").locator("[data-node-title]").evaluate((el) => (parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().height) / (el as HTMLElement).offsetHeight);
  expect(onScreenPx).toBeGreaterThanOrEqual(11);

  await page.goto(url() + runUrl);
  await expect(node(page, "gate")).toHaveAttribute("data-status", "waiting_approval");
  const shards = await Promise.all(["shard_1", "shard_2", "shard_3"].map(async (id) => (await node(page, id).boundingBox())!));
  expect(shards[0].y).toBeLessThan(shards[1].y);
  expect(shards[1].y).toBeLessThan(shards[2].y);
  // A step not started shows its reference as a chip, not as template source.
  await expect(node(page, "merge")).not.toContainText("{{");
  await expect(node(page, "merge").getByTestId("title-ref")).toHaveText("plan.branch");
  await expect(node(page, "shard_2")).toContainText("Shard 2 of feature/legible");

  // Desktop: the panel opens beside the graph and the step stays in view, clear of it.
  await node(page, "merge").click();
  const panel = page.getByTestId("step-panel");
  await expect(panel).toHaveAttribute("data-step-id", "merge");
  await expect(panel.getByTestId("title-ref")).toHaveText("plan.branch");
  await expect(panel.getByTestId("step-title-refs")).toContainText("plan.branch is filled in from step plan");
  await expect.poll(async () => overlaps((await node(page, "merge").boundingBox())!, (await panel.boundingBox())!)).toBe(false);
  const graph = (await page.getByTestId("run-graph").boundingBox())!;
  const merge = (await node(page, "merge").boundingBox())!;
  expect(merge.x).toBeGreaterThanOrEqual(graph.x);
  expect(merge.x + merge.width).toBeLessThanOrEqual(graph.x + graph.width);

  // Phone: the sheet covers the lower half; the page and the graph move so the step shows above it.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${url()}${runUrl}?step=merge`);
  await expect(panel).toHaveAttribute("data-step-id", "merge");
  await expect
    .poll(async () => {
      const n = (await node(page, "merge").boundingBox())!;
      const sheet = (await panel.boundingBox())!;
      return n.y >= 56 && n.y + n.height <= sheet.y;
    })
    .toBe(true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/run-step-390.png" });

  // The phone timeline scrolls sideways and says so.
  await page.getByTestId("step-panel-close").click();
  const gantt = page.getByTestId("run-gantt");
  await gantt.scrollIntoViewIfNeeded();
  await expect(gantt).toHaveAttribute("data-scroll-right", "true");
  await expect(page.getByTestId("gantt-scroll-hint")).toBeVisible();
  await gantt.evaluate((el) => el.scrollBy({ left: 10_000 }));
  await expect(gantt).not.toHaveAttribute("data-scroll-right", "true");
  await expect(gantt).toHaveAttribute("data-scroll-left", "true");
  await expect(page.getByTestId("gantt-scroll-hint")).toBeHidden();

  // A step picked on the timeline is not left under the sheet either.
  const bar = page.locator('[data-testid="gantt-bar"][data-step-id="shard_3"]');
  await bar.click();
  await expect(panel).toHaveAttribute("data-step-id", "shard_3");
  await expect.poll(async () => (await bar.boundingBox())!.y + (await bar.boundingBox())!.height <= (await panel.boundingBox())!.y).toBe(true);
});
