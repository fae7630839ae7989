// [A11Y] axe on every page of the dashboard (and the open states that matter: a nav menu, the
// phone sheet, a step panel), against the real server with a real agent. Fails on serious or
// critical violations of WCAG 2.1 A/AA. The data each page needs is seeded here, in beforeAll.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { admin, logIn, registerHttpAgent, submitTask, taskStatus, url } from "./helpers";

const TEMPLATE = `
name: e2e-a11y-flow
description: A fan-out, a gate and a step after it, for the accessibility checks.
params:
  - { name: target, type: string, default: staging }
steps:
  - id: plan
    title: "Plan for {{params.target}}"
    requires: [e2e-a11y]
    command: |
      echo planning
      echo '{"branch": "feature/a11y"}' > "$SWITCHBOARD_RESULT_FILE"
  - id: build
    parallel: 2
    dependsOn: [plan]
    title: "Build shard {{index}} of {{steps.plan.result.branch}}"
    requires: [e2e-a11y]
    command: echo building
  - id: review
    type: approval
    dependsOn: [build]
    title: Review
    description: Approve to merge.
  - id: merge
    dependsOn: [review]
    title: "Merge {{steps.plan.result.branch}}"
    requires: [e2e-a11y]
    command: echo merged
`;

let agent: AgentHandle | undefined;
let agentId = "";
let offlineAgentId = "";
let taskId = "";
let runId = "";
/** The admin's signed-in session, made once, so each page's check does not sign in again. */
let session: BrowserContextOptions["storageState"];

async function post(path: string, body: unknown): Promise<unknown> {
  const r = await fetch(url() + path, { method: "POST", headers: admin(), body: JSON.stringify(body) });
  expect(r.status, `${path}: ${await r.clone().text()}`).toBeLessThan(300);
  return r.json();
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  await logIn(await context.newPage(), "/");
  session = await context.storageState();
  await context.close();
  agent = startAgentProcess({ server: url(), token: process.env.SB_TOKEN!, name: "e2e-a11y-agent", capabilities: ["e2e-a11y"], slots: 2 });
  await expect
    .poll(async () => {
      const r = await fetch(`${url()}/api/v1/agents`, { headers: admin() });
      const list = ((await r.json()) as { agents: { id: string; name: string; status: string }[] }).agents;
      agentId = list.find((a) => a.name === "e2e-a11y-agent" && a.status === "online")?.id ?? "";
      return agentId;
    })
    .not.toBe("");
  // An agent that stopped, so its page offers Forget and says why it is offline.
  const stopped = await registerHttpAgent("e2e-a11y-stopped", { acceptFrom: ["role:admin", "workflow:e2e-a11y-flow"] });
  await stopped.stop();
  offlineAgentId = stopped.id;
  taskId = await submitTask({ title: "e2e a11y: say hello", command: "echo hello; echo world >&2", requires: ["e2e-a11y"] });
  // A dead letter, so that page has a row to check.
  const dead = await submitTask({ title: "e2e a11y: nobody takes this", command: "true", requires: ["e2e-a11y-nobody"], queueTimeoutMs: 1000 });
  await post("/api/v1/workflows", { format: "yaml", source: TEMPLATE });
  runId = ((await post("/api/v1/workflows/e2e-a11y-flow/runs", { params: {} })) as { run: { id: string } }).run.id;
  await post("/api/v1/messages", { to: { channel: "e2e-a11y" }, body: "hello, channel" });
  // An external pool: it decides and is listed, but starts no processes.
  await post("/api/v1/pools", { name: "e2e-a11y-pool", provider: "external", card: { capabilities: ["e2e-a11y-pool"] }, policy: { max: 2 } });
  await expect.poll(() => taskStatus(taskId)).toBe("succeeded");
  await expect.poll(() => taskStatus(dead), { timeout: 10_000 }).toBe("dead");
  await expect
    .poll(async () => {
      const r = await fetch(`${url()}/api/v1/runs/${runId}`, { headers: admin() });
      return ((await r.json()) as { run: { steps: { id: string; status: string }[] } }).run.steps.find((s) => s.id === "review")?.status;
    })
    .toBe("waiting_approval");
});

test.afterAll(async () => {
  await agent?.stop("SIGKILL");
});

/** A page of its own, signed in as the admin, at `path`, once the live socket is up. */
async function openPage(browser: Browser, path: string, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ storageState: session, viewport });
  const page = await context.newPage();
  await page.goto(url() + path);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  return { page, close: () => context.close() };
}

/** Runs axe on the page as it is and fails with a readable list of the serious and critical findings. */
async function expectNoSeriousViolations(page: Page, what: string) {
  // Nothing still loading: axe should see the page a person would.
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
  // Nor half-way through a transition (a button fading in once a check passes); endless
  // animations (a running step's pulse) are left alone.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))));
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`).join("\n")}`).join("\n");
  expect(serious.map((v) => `${v.impact} ${v.id}`), `${what}:\n${report}`).toEqual([]);
}

/** The insight pages (their rich states, over simulated history, are checked in insight.spec.ts too). */
const INSIGHT_PAGES: { name: string; path: () => string; ready: (page: Page) => Promise<void> }[] = [
  { name: "analytics", path: () => "/analytics", ready: (p) => expect(p.getByTestId("kpi-cards")).toBeVisible() },
  { name: "errors", path: () => "/analytics/errors?status=all", ready: (p) => expect(p.getByTestId("error-totals")).toBeVisible() },
  { name: "capacity", path: () => "/capacity", ready: (p) => expect(p.getByTestId("capacity").or(p.getByTestId("capacity-empty"))).toBeVisible() },
  { name: "reports", path: () => "/reports", ready: (p) => expect(p.getByTestId("schedule-row").first()).toBeVisible() },
];

// Each page and what shows that it has rendered its data.
const PAGES: { name: string; path: () => string; ready: (page: Page) => Promise<void> }[] = [
  { name: "fleet", path: () => "/", ready: (p) => expect(p.getByTestId("agent-tile").first()).toBeVisible() },
  { name: "tasks", path: () => "/tasks", ready: (p) => expect(p.getByTestId("task-row").first()).toBeVisible() },
  { name: "submit a task", path: () => "/tasks/new", ready: (p) => expect(p.getByTestId("task-title-input")).toBeVisible() },
  { name: "a task", path: () => `/tasks/${taskId}`, ready: (p) => expect(p.getByTestId("task-log")).toContainText("hello") },
  { name: "an agent", path: () => `/agents/${agentId}`, ready: (p) => expect(p.getByTestId("agent-detail")).toBeVisible() },
  { name: "an offline agent", path: () => `/agents/${offlineAgentId}`, ready: (p) => expect(p.getByTestId("forget-agent")).toBeVisible() },
  { name: "runs", path: () => "/runs", ready: (p) => expect(p.getByTestId("run-row").first()).toBeVisible() },
  { name: "a run", path: () => `/runs/${runId}`, ready: (p) => expect(p.getByTestId("run-node").first()).toBeVisible() },
  { name: "approvals", path: () => "/approvals", ready: (p) => expect(p.getByTestId("approval-row").first()).toBeVisible() },
  { name: "workflows", path: () => "/workflows", ready: (p) => expect(p.getByTestId("template-row").first()).toBeVisible() },
  { name: "a template", path: () => "/workflows/e2e-a11y-flow", ready: (p) => expect(p.getByTestId("preview-node").first()).toBeVisible() },
  {
    name: "new template",
    path: () => "/workflows/new",
    // Checked, and its Save button enabled: the button fades in when the check passes, and axe mid-fade sees half a colour.
    ready: async (p) => {
      await expect(p.getByTestId("template-validity")).toHaveAttribute("data-state", "valid");
      await expect(p.getByTestId("save-template")).toBeEnabled();
    },
  },
  { name: "pools", path: () => "/pools", ready: (p) => expect(p.getByTestId("pool-row").first()).toBeVisible() },
  { name: "a pool", path: () => "/pools/e2e-a11y-pool", ready: (p) => expect(p.getByTestId("decision").first()).toBeVisible() },
  { name: "channels", path: () => "/messages?channel=e2e-a11y", ready: (p) => expect(p.getByTestId("conversation")).toContainText("hello, channel") },
  { name: "incidents", path: () => "/incidents", ready: (p) => expect(p.getByTestId("incident-list")).toBeVisible() },
  { name: "dead letters", path: () => "/dead-letters", ready: (p) => expect(p.getByTestId("dead-letter-row").first()).toBeVisible() },
  { name: "traffic", path: () => "/traffic", ready: (p) => expect(p.getByTestId("traffic")).toBeVisible() },
  { name: "tokens", path: () => "/tokens", ready: (p) => expect(p.getByTestId("token-row").first()).toBeVisible() },
  { name: "users", path: () => "/users", ready: (p) => expect(p.getByTestId("user-row").first()).toBeVisible() },
  { name: "audit", path: () => "/audit", ready: (p) => expect(p.getByTestId("audit-list")).toBeVisible() },
  { name: "API reference", path: () => "/api#claim", ready: (p) => expect(p.getByTestId("api-answer-schema")).toBeVisible() },
  ...INSIGHT_PAGES,
];

for (const { name, path, ready } of PAGES) {
  test(`[A11Y]: ${name} has no serious or critical axe violations`, async ({ browser }) => {
    const { page, close } = await openPage(browser, path());
    try {
      await ready(page);
      await expectNoSeriousViolations(page, name);
    } finally {
      await close();
    }
  });
}

test("[A11Y]: the sign-in page has no serious or critical axe violations", async ({ page }) => {
  // A fresh context: no session, so this is what a new user sees first.
  await page.goto(`${url()}/login`);
  await expect(page.getByTestId("login-form")).toBeVisible();
  await expectNoSeriousViolations(page, "login");
});

test("[A11Y]: an open nav menu and a run's step panel have no serious or critical axe violations", async ({ browser }) => {
  const { page, close } = await openPage(browser, `/runs/${runId}?step=merge`);
  try {
    await expect(page.getByTestId("step-panel")).toBeVisible();
    await page.getByTestId("nav-group-work").click();
    await expect(page.getByTestId("nav-runs")).toBeVisible();
    await expectNoSeriousViolations(page, "run with the Work menu and a step panel open");
  } finally {
    await close();
  }
});

test("[A11Y]: on a phone, the menu sheet, a run with its step sheet, a template and the API reference have no serious or critical axe violations", async ({ browser }) => {
  const { page, close } = await openPage(browser, `/runs/${runId}?step=build_2`, { width: 390, height: 844 });
  try {
    await expect(page.getByTestId("step-panel")).toBeVisible();
    await expectNoSeriousViolations(page, "phone run with its step sheet");
    await page.getByTestId("nav-menu").click();
    await expect(page.getByTestId("nav-runs")).toBeVisible();
    await expectNoSeriousViolations(page, "phone menu sheet");
    await page.goto(`${url()}/workflows/e2e-a11y-flow`);
    await expect(page.getByTestId("preview-node").first()).toBeVisible();
    await expectNoSeriousViolations(page, "phone template");
    await page.goto(`${url()}/api#submitTasks`);
    await expect(page.getByTestId("api-request-schema")).toBeVisible();
    await expectNoSeriousViolations(page, "phone API reference");
  } finally {
    await close();
  }
});

test("[A11Y]: on a phone, the analytics, errors and capacity pages have no serious or critical axe violations", async ({ browser }) => {
  for (const { name, path, ready } of INSIGHT_PAGES) {
    const { page, close } = await openPage(browser, path(), { width: 390, height: 844 });
    try {
      await ready(page);
      await expectNoSeriousViolations(page, `phone ${name}`);
    } finally {
      await close();
    }
  }
});
