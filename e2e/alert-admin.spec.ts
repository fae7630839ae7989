// [ALERT ADMIN] Rules and channels kept from the /alerts page against a real server of its own:
// an admin creates a failure-rate rule through the form (a refusal stays beside its field,
// nothing typed is lost), edits it, switches a built-in one off, imports two rules as YAML and
// exports them; creates a signed webhook channel routed by matchers to a receiver on 127.0.0.1,
// sends a test the receiver gets (and can verify), reads the delivery log; a viewer reads the
// rules but gets no controls and no channels; axe-clean at 1440 and 390 px.
import AxeBuilder from "@axe-core/playwright";
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";
import { signedInState } from "./helpers";

test.describe.configure({ mode: "serial" });

const VIEWER = { username: "rules-viewer", password: "rules-viewer-pw-1" };
const SECRET = "e2e-signing-secret-0123";
let server: ServerHandle | undefined;
let adminToken = "";
let session: BrowserContextOptions["storageState"];
let viewerSession: BrowserContextOptions["storageState"];

/** A webhook receiver in this process: what it got, and a switch to answer 503 for a while. */
const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const hookState = { down: false };
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    if (hookState.down) return void res.writeHead(503).end("down");
    hooks.push({ headers: req.headers, body });
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
let hookUrl = "";

const base = () => server!.url;
const headers = () => ({ authorization: `Bearer ${adminToken}`, "content-type": "application/json" });
/** Where screenshots go (SB_SCREENSHOTS=/tmp/… to look at them), else the test's output folder. */
const shot = (name: string) => path.join(process.env.SB_SCREENSHOTS ?? test.info().outputDir, name);

async function open(browser: Browser, pathname: string, viewport = { width: 1440, height: 900 }, state = session) {
  const context = await browser.newContext({ storageState: state, viewport });
  const page = await context.newPage();
  await page.goto(base() + pathname);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected");
  return { page, close: () => context.close() };
}

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

async function apiRules() {
  const r = await fetch(`${base()}/api/v1/alerts/rules`, { headers: headers() });
  expect(r.status).toBe(200);
  return ((await r.json()) as { rules: { id: string; name: string; kind: string; params: Record<string, unknown>; severity: string; labels: Record<string, string>; forMs: number; repeatIntervalMs: number; enabled: boolean }[] }).rules;
}

const rule = (page: Page, name: string) => page.getByTestId("rule").and(page.locator(`[data-rule-name="${name}"]`));
const channel = (page: Page, name: string) => page.getByTestId("channel").and(page.locator(`[data-channel-name="${name}"]`));

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startServerProcess({ ui: true });
  adminToken = await createToken(server, "e2e-alert-admin", "admin");
  const viewer = await fetch(`${base()}/api/trpc/users.create`, { method: "POST", headers: headers(), body: JSON.stringify({ ...VIEWER, role: "viewer" }) });
  expect(viewer.status, await viewer.clone().text()).toBe(200);
  session = await signedInState(browser, base(), { username: "admin", password: server.password });
  viewerSession = await signedInState(browser, base(), VIEWER);
});

test.afterAll(async () => {
  await server?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

test("[ALERT ADMIN]: an admin creates a failure-rate rule in minutes and percent, a refusal stays beside its field, then edits it and switches a built-in rule off", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts");
  try {
    const rules = page.getByTestId("alert-rules");
    await expect(rule(page, "QueueWaitHigh")).toBeVisible();
    await expect(rule(page, "QueueWaitHigh").getByTestId("rule-built-in")).toBeVisible();
    await expect(rule(page, "QueueWaitHigh").getByTestId("rule-condition")).toHaveText("Fires when queue-wait p95 over 5 min per capability (15 min window, at least 3 tasks)");
    await expect(rule(page, "QueueWaitHigh").getByTestId("rule-timing")).toContainText("for 5 min");
    await expect(rule(page, "QueueWaitHigh").getByTestId("rule-timing")).toContainText("repeat every 4 h");
    await expect(rule(page, "QueueWaitHigh").getByTestId("rule-delete")).toHaveCount(0);

    await rules.getByTestId("rule-new").click();
    const form = page.getByTestId("rule-form");
    await expect(form.getByTestId("rule-name-input")).toBeFocused();
    await form.getByTestId("rule-name-input").fill("GpuFailing");
    await form.getByTestId("rule-kind-input").selectOption("failure_rate");
    await form.getByTestId("rule-threshold-input").fill("30");
    await form.getByTestId("rule-window-input").fill("10");
    await form.getByTestId("rule-min-tasks-input").fill("4");
    await form.getByTestId("rule-for-input").fill("2");
    await form.getByTestId("rule-for-input-unit").selectOption("min");
    await form.getByTestId("rule-repeat-input").fill("0"); // under the server's minimum of one minute
    await form.getByTestId("rule-label-add").click();
    await form.getByTestId("rule-label-key").fill("team");
    await form.getByTestId("rule-label-value").fill("ml");
    await expect(form.getByTestId("rule-condition-preview")).toHaveText("Fires when 30 % or more of tasks fail per capability (10 min window, at least 4 tasks)");
    await form.getByTestId("rule-save").click();

    // Refused by the server: its sentence in the form's words beside "Repeat every", every field as typed.
    await expect(form.getByRole("alert")).toContainText("Repeat every: must be at least 1 min");
    await expect(form.getByTestId("field-error")).toHaveText("must be at least 1 min");
    await expect(form.getByTestId("rule-repeat-input")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByTestId("rule-name-input")).toHaveValue("GpuFailing");
    await expect(form.getByTestId("rule-threshold-input")).toHaveValue("30");
    await expect(form.getByTestId("rule-label-value")).toHaveValue("ml");
    await form.getByTestId("rule-repeat-input").fill("1");
    await form.getByTestId("rule-repeat-input-unit").selectOption("h");
    await form.getByTestId("rule-save").click();
    await expect(form).toHaveCount(0);
    await expect(rules.getByTestId("rule-new")).toBeFocused(); // back where the form was opened

    const created = rule(page, "GpuFailing");
    await expect(created).toBeVisible();
    await expect(created.getByTestId("rule-kind")).toHaveText("Failure rate");
    await expect(created.getByTestId("rule-condition")).toHaveText("Fires when 30 % or more of tasks fail per capability (10 min window, at least 4 tasks)");
    await expect(created.getByTestId("rule-timing")).toContainText("for 2 min");
    await expect(created.getByTestId("rule-timing")).toContainText("repeat every 1 h");
    await expect(created.getByTestId("rule-labels")).toHaveText("team=ml");
    let saved = (await apiRules()).find((r) => r.name === "GpuFailing")!;
    expect(saved).toMatchObject({ kind: "failure_rate", params: { threshold: 0.3, windowMs: 600_000, minTasks: 4 }, forMs: 120_000, repeatIntervalMs: 3_600_000, labels: { team: "ml" }, severity: "warning", enabled: true });

    // Edit: the form opens with the rule's values in the units it was entered in.
    await created.getByTestId("rule-edit").click();
    const edit = page.getByTestId("rule-form");
    await expect(edit.getByTestId("rule-threshold-input")).toHaveValue("30");
    await expect(edit.getByTestId("rule-window-input")).toHaveValue("10");
    await expect(edit.getByTestId("rule-for-input")).toHaveValue("2");
    await expect(edit.getByTestId("rule-for-input-unit")).toHaveValue("min");
    await edit.getByTestId("rule-threshold-input").fill("50");
    await edit.getByTestId("rule-severity-input").selectOption("critical");
    await page.screenshot({ path: shot("alert-admin-rule-form-1440.png"), fullPage: true });
    await expectNoSeriousViolations(page, "rule form at 1440 px");
    await edit.getByTestId("rule-threshold-input").press("Enter"); // submits from the keyboard
    await expect(edit).toHaveCount(0);
    await expect(created.getByTestId("rule-edit")).toBeFocused();
    await expect(created.getByTestId("rule-condition")).toHaveText("Fires when 50 % or more of tasks fail per capability (10 min window, at least 4 tasks)");
    saved = (await apiRules()).find((r) => r.name === "GpuFailing")!;
    expect(saved).toMatchObject({ params: { threshold: 0.5 }, severity: "critical", forMs: 120_000 });

    // A built-in rule is switched off, not deleted.
    const approvals = rule(page, "ApprovalWaiting");
    await approvals.getByTestId("rule-enabled").focus();
    await page.keyboard.press("Space");
    await expect(approvals).toHaveAttribute("data-enabled", "false");
    await expect(approvals.getByTestId("rule-disabled")).toBeVisible();
    expect((await apiRules()).find((r) => r.name === "ApprovalWaiting")!.enabled).toBe(false);
  } finally {
    await close();
  }
});

test("[ALERT ADMIN]: an admin imports two rules from YAML (a bad one is refused with its place, the text kept), exports them, deletes one", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts");
  try {
    const source = page.getByTestId("rules-import-source");
    const bad = "rules:\n  - name: Broken\n    kind: dead_tasks\n    for: soon\n";
    await source.fill(bad);
    await page.getByTestId("rules-import").click();
    await expect(page.getByTestId("rules-import-form").getByRole("alert")).toContainText("rules[0]");
    await expect(source).toHaveValue(bad);

    await source.fill(
      [
        "rules:",
        "  - name: GpuQueueSlow",
        "    kind: queue_wait",
        "    params: { target: 1m, window: 15m, minTasks: 2 }",
        "    for: 5m",
        "    labels: { team: ml }",
        "  - name: ManyDead",
        "    kind: dead_tasks",
        "    params: { window: 30m, min: 3 }",
        "    severity: critical",
        "    repeat_interval: 2h",
        "",
      ].join("\n"),
    );
    await page.getByTestId("rules-import").click();
    await expect(page.getByTestId("rules-import-result")).toHaveText("Imported: created 2 (GpuQueueSlow, ManyDead).");
    await expect(source).toHaveValue("");
    await expect(rule(page, "GpuQueueSlow").getByTestId("rule-condition")).toHaveText("Fires when queue-wait p95 over 1 min per capability (15 min window, at least 2 tasks)");
    await expect(rule(page, "ManyDead").getByTestId("rule-condition")).toHaveText("Fires when 3 or more tasks dead in the fleet (30 min window)");
    await expect(rule(page, "ManyDead").getByTestId("rule-timing")).toContainText("repeat every 2 h");

    // Export with the browser's own session: YAML with every rule, durations as durations.
    const link = page.getByTestId("rules-export");
    await expect(link).toHaveText("Export as YAML");
    const exported = await page.request.get(base() + (await link.getAttribute("href"))!);
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("application/yaml");
    const yaml = await exported.text();
    for (const name of ["GpuFailing", "GpuQueueSlow", "ManyDead", "AgentOffline"]) expect(yaml).toContain(`name: ${name}`);
    expect(yaml).toContain("repeat_interval: 2h");

    await rule(page, "ManyDead").getByTestId("rule-delete").click();
    await rule(page, "ManyDead").getByTestId("rule-delete-confirm").click();
    await expect(rule(page, "ManyDead")).toHaveCount(0);
    expect((await apiRules()).some((r) => r.name === "ManyDead")).toBe(false);
  } finally {
    await close();
  }
});

test("[ALERT ADMIN]: an admin creates a signed webhook channel routed by matchers, sends a test the receiver gets and can verify, reads the delivery log", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts");
  try {
    const section = page.getByTestId("alert-channels");
    await expect(section).toContainText("No channels yet");
    await section.getByTestId("channel-new").click();
    const form = page.getByTestId("channel-form");
    await form.getByTestId("channel-name-input").fill("ml hook");
    await form.getByTestId("channel-kind-input").selectOption("email");
    await expect(form.getByTestId("channel-url-input")).toHaveCount(0);
    await expect(form.getByTestId("channel-to-input")).toBeVisible();
    await form.getByTestId("channel-kind-input").selectOption("webhook");
    await form.getByTestId("channel-url-input").fill("ftp://127.0.0.1/nope");
    await form.getByTestId("channel-secret-input").fill(SECRET);
    await form.getByTestId("channel-matchers-input").fill('team="ml"');
    await form.getByTestId("channel-severity-input").selectOption("warning");
    await form.getByTestId("channel-group-by-input").fill("agent");
    await expect(form.getByTestId("channel-route-preview")).toHaveText('Reaches it: alerts with severity ≥ warning matching team="ml"; grouped by rule and agent.');
    await form.getByTestId("channel-save").click();
    await expect(form.getByRole("alert")).toContainText("URL: must be an http:// or https:// URL");
    await expect(form.getByTestId("channel-url-input")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByTestId("channel-matchers-input")).toHaveValue('team="ml"');
    await form.getByTestId("channel-url-input").fill(hookUrl);
    await form.getByTestId("channel-save").click();
    await expect(form).toHaveCount(0);

    const item = channel(page, "ml hook");
    await expect(item.getByTestId("channel-kind")).toHaveText("Webhook");
    await expect(item.getByTestId("channel-target")).toHaveText(new URL(hookUrl).host);
    await expect(item.getByTestId("channel-signed")).toHaveText("signed");
    await expect(item.getByTestId("channel-matcher")).toHaveText('team="ml"');
    await expect(item.getByTestId("channel-route")).toHaveText('Routing: alerts with severity ≥ warning matching team="ml"; grouped by rule and agent.');

    await item.getByTestId("channel-test").click();
    await expect(item.getByTestId("channel-test-result")).toHaveAttribute("data-ok", "true");
    await expect(item.getByTestId("channel-test-result")).toContainText("Delivered: HTTP 200 in");
    expect(hooks).toHaveLength(1);
    const got = hooks[0];
    const payload = JSON.parse(got.body) as { alerts: { labels: Record<string, string> }[] };
    expect(payload.alerts[0].labels.alertname).toBe("SwitchboardTest");
    // The README's verification: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">.
    const { t, v1 } = Object.fromEntries(String(got.headers["switchboard-signature"]).split(",").map((p) => p.split("=")));
    expect(v1).toBe(createHmac("sha256", SECRET).update(`${t}.${got.body}`).digest("hex"));

    // A receiver that is down: the outcome says so.
    hookState.down = true;
    await item.getByTestId("channel-test").click();
    await expect(item.getByTestId("channel-test-result")).toHaveAttribute("data-ok", "false");
    await expect(item.getByTestId("channel-test-result")).toContainText("Failed: HTTP 503");
    hookState.down = false;

    await item.getByTestId("channel-deliveries-toggle").click();
    const log = item.getByTestId("delivery");
    await expect(log).toHaveCount(2);
    await expect(log.nth(0)).toHaveAttribute("data-ok", "false");
    await expect(log.nth(0)).toContainText("HTTP 503");
    await expect(log.nth(1)).toHaveAttribute("data-ok", "true");
    await expect(log.nth(1)).toContainText("attempt 1");
    await expect(log.nth(1)).toContainText("HTTP 200");

    // Editing keeps the secret when the field is left empty.
    await item.getByTestId("channel-edit").click();
    const edit = page.getByTestId("channel-form");
    await expect(edit.getByTestId("channel-secret-input")).toHaveValue("");
    await expect(edit).toContainText("leave empty to keep the secret");
    await edit.getByTestId("channel-severity-input").selectOption("critical");
    await page.screenshot({ path: shot("alert-admin-channel-form-1440.png"), fullPage: true });
    await edit.getByTestId("channel-save").click();
    await expect(edit).toHaveCount(0);
    await expect(item.getByTestId("channel-signed")).toHaveText("signed");
    await expect(item.getByTestId("channel-route")).toHaveText('Routing: critical alerts matching team="ml"; grouped by rule and agent.');
    await item.getByTestId("channel-test").click();
    await expect(item.getByTestId("channel-test-result")).toHaveAttribute("data-ok", "true");
    expect(hooks).toHaveLength(2);
    expect(String(hooks[1].headers["switchboard-signature"])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    await item.getByTestId("channel-deliveries-toggle").click(); // the edit closed it
    await expect(item.getByTestId("delivery")).toHaveCount(3);
    await page.screenshot({ path: shot("alert-admin-1440.png"), fullPage: true });
    await expectNoSeriousViolations(page, "alerts with rules and channels at 1440 px");
  } finally {
    await close();
  }
});

test("[ALERT ADMIN]: a viewer reads the rules but gets no New rule, Edit, switch, Delete or import, and no channels", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts", undefined, viewerSession);
  try {
    await expect(rule(page, "GpuFailing")).toBeVisible();
    await expect(rule(page, "GpuFailing").getByTestId("rule-condition")).toContainText("50 % or more of tasks fail");
    await expect(rule(page, "ApprovalWaiting").getByTestId("rule-disabled")).toBeVisible();
    await expect(page.getByTestId("current-user")).toHaveText(VIEWER.username);
    for (const id of ["rule-new", "rule-edit", "rule-enabled", "rule-delete", "rules-import-form", "alert-channels", "channel"]) await expect(page.getByTestId(id), id).toHaveCount(0);
    await expect(page.getByTestId("alerts-jump").getByRole("link", { name: "Channels" })).toHaveCount(0);
    await expect(page.getByTestId("rules-export")).toBeVisible();
    // And the server refuses the channels to a viewer's session anyway.
    const refused = await page.request.get(`${base()}/api/v1/alerts/channels`);
    expect(refused.status()).toBe(403);
    await expectNoSeriousViolations(page, "alerts as a viewer");
  } finally {
    await close();
  }
});

test("[ALERT ADMIN]: on a 390 px phone the rules, the forms and the channels fit, and are usable", async ({ browser }) => {
  const { page, close } = await open(browser, "/alerts", { width: 390, height: 844 });
  try {
    const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await expect(rule(page, "GpuFailing")).toBeVisible();
    await page.getByTestId("alerts-jump").getByRole("link", { name: "Channels" }).click();
    await expect(page).toHaveURL(/#channels$/);
    await channel(page, "ml hook").getByTestId("channel-deliveries-toggle").click();
    await expect(channel(page, "ml hook").getByTestId("delivery")).toHaveCount(3);
    await fits();
    await page.screenshot({ path: shot("alert-admin-390.png"), fullPage: true });
    await expectNoSeriousViolations(page, "alerts at 390 px");

    await page.getByTestId("rule-new").click();
    const form = page.getByTestId("rule-form");
    await form.getByTestId("rule-kind-input").selectOption("error_group");
    await expect(form.getByTestId("rule-error-kind-error_group_spike")).toBeVisible();
    await form.getByTestId("rule-label-add").click();
    await page.getByTestId("channel-new").click();
    await expect(page.getByTestId("channel-form")).toBeVisible();
    await fits();
    await page.screenshot({ path: shot("alert-admin-forms-390.png"), fullPage: true });
    await expectNoSeriousViolations(page, "rule and channel forms at 390 px");
  } finally {
    await close();
  }
});
