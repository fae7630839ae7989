// [API] the API reference page (/api): rendered in the browser from /api/v1/openapi.json, grouped
// by tag, searchable, one anchor per operation, schemas as trees, a curl line that really runs,
// and on a phone nothing wider than the screen but the code blocks.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { goTo, logIn, url } from "./helpers";

const run = promisify(execFile);
const CLAIM_PATH = "/api/v1/agents/{id}/claim";

/** The document as the server serves it: the page must say what it says. */
async function servedDocument() {
  const r = await fetch(`${url()}/api/v1/openapi.json`);
  expect(r.status).toBe(200);
  return (await r.json()) as { tags: { name: string }[]; paths: Record<string, Record<string, { operationId: string; summary: string; tags: string[] }>> };
}

const operation = (page: Page, id: string) => page.locator(`[data-testid="api-operation"][data-operation="${id}"]`);

test("[API]: the document still answers once the dashboard has rendered pages", async ({ page }) => {
  // Rendering a page on the server evaluates lib/api a second time (Next's server bundle); the
  // document must not depend on which schemas happen to be registered by then.
  await logIn(page, "/tasks");
  const r = await page.request.get(`${url()}/api/v1/openapi.json`);
  expect(r.status(), await r.text()).toBe(200);
  await page.goto(`${url()}/api`);
  await expect(page.getByTestId("api-operation").first()).toBeVisible();
  await expect(page.getByText("Could not load the API description")).toHaveCount(0);
});

test("[API]: the nav leads to the reference; claim is listed with its summary, says who may call it, and its answer's tree opens to tasks", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url() });
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/");
  await goTo(page, "api");
  await expect(page).toHaveURL(/\/api$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API reference");
  await expect(page.getByTestId("nav-api")).toHaveAttribute("aria-current", "page");

  const doc = await servedDocument();
  const claimDoc = doc.paths[CLAIM_PATH].post;
  // Every tag, the document's declared ones first in its order, and every operation under one.
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  const tags = [...new Set([...doc.tags.map((t) => t.name), ...ops.map((o) => o.tags[0])])];
  await expect(page.getByTestId("api-tag")).toHaveCount(tags.length);
  expect(await page.getByTestId("api-tag").evaluateAll((els) => els.map((e) => e.getAttribute("data-tag")))).toEqual(tags);
  expect(tags.slice(0, 8)).toEqual(["agent protocol", "tasks", "fleet", "workflows", "insight", "alerts", "messaging", "identity"]);
  const total = ops.length;
  await expect(page.getByTestId("api-operation")).toHaveCount(total);

  const claim = operation(page, "claim");
  await expect(claim.getByTestId("method-chip")).toHaveText("POST");
  await expect(claim.getByTestId("api-operation-path")).toHaveText(CLAIM_PATH);
  // The summary's `code` spans are set in monospace; the words are the document's.
  await expect(claim.getByTestId("api-operation-summary")).toHaveText(claimDoc.summary.replace(/`/g, ""));
  await expect(claim.locator("xpath=ancestor::*[@data-testid='api-tag'][1]")).toHaveAttribute("data-tag", "agent protocol");

  await claim.getByTestId("api-operation-toggle").click();
  await expect(claim).toHaveAttribute("data-open", "true");
  await expect(page).toHaveURL(/\/api#claim$/);
  await expect(claim.getByTestId("api-operation-permission")).toContainText("agent tokens");
  await expect(claim.locator('[data-testid="api-parameter"][data-name="id"]')).toContainText("required");
  await expect(claim.locator('[data-testid="api-parameter"][data-name="wait"]')).toContainText("default 25");

  // The answer: ClaimResponse's fields, `tasks` folded until opened, then the assignment's fields.
  const answer = claim.getByTestId("api-answer-schema");
  await expect(answer).toContainText("ClaimResponse");
  const tasks = answer.locator('[data-testid="schema-property"][data-name="tasks"]');
  await expect(tasks.getByTestId("schema-type").first()).toHaveText("array of object");
  await expect(tasks.getByTestId("schema-required").first()).toBeVisible();
  await expect(tasks.locator('[data-name="attempt"]')).toHaveCount(0);
  await tasks.getByTestId("schema-toggle").first().click();
  await expect(tasks.getByTestId("schema-toggle").first()).toHaveAttribute("aria-expanded", "true");
  await expect(tasks.locator('[data-testid="schema-property"][data-name="attempt"]')).toBeVisible();
  // Nullable and nested: who submitted it, a union with null, opens to its kind's enum.
  const submittedBy = tasks.locator('[data-testid="schema-property"][data-name="submittedBy"]');
  await expect(submittedBy.getByTestId("schema-type").first()).toHaveText("object or null");
  await submittedBy.getByTestId("schema-toggle").first().click();
  await expect(submittedBy.locator('[data-name="kind"]').getByTestId("schema-enum")).toContainText('"workflow"');

  // The curl line, copied.
  await claim.getByTestId("copy-curl").click();
  await expect(claim.getByTestId("copy-curl")).toHaveText("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await claim.getByTestId("api-curl").textContent());
  expect(copied).toContain('curl -X POST "$SWITCHBOARD_SERVER/api/v1/agents/$ID/claim?wait=25"');
  expect(copied).toContain('-H "Authorization: Bearer $T"');

  // The raw document, for generating a client.
  await expect(page.getByTestId("download-openapi")).toHaveAttribute("href", "/api/v1/openapi.json");
});

test("[API]: a copied curl line runs as it is, with the two variables the intro sets", async ({ page }) => {
  await logIn(page, "/api");
  await page.goto(`${url()}/api#me`);
  const me = operation(page, "me");
  await expect(me).toHaveAttribute("data-open", "true");
  const curl = (await me.getByTestId("api-curl").textContent())!;
  expect(curl).toMatch(/^curl "\$SWITCHBOARD_SERVER\/api\/v1\/me"/);
  const { stdout } = await run("bash", ["-c", `${curl} --silent --fail-with-body`], { env: { ...process.env, SWITCHBOARD_SERVER: url(), T: process.env.SB_TOKEN! } });
  expect(JSON.parse(stdout)).toMatchObject({ kind: "token", name: "e2e", scope: "agent" });
  // The intro's setup block names the same variables and this server.
  await expect(page.getByTestId("api-intro")).toContainText(`export SWITCHBOARD_SERVER=${url()}`);
  await expect(page.getByTestId("api-base-url")).toHaveText(`${url()}/api/v1`);
});

test("[API]: search narrows by path, summary or tag; an anchor opens its operation even past a search", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/api");
  await expect(page.getByTestId("api-operation").first()).toBeVisible();
  const search = page.getByTestId("api-search");
  await search.fill("claim");
  await expect(page.getByTestId("api-operation")).toHaveCount(1);
  await expect(operation(page, "claim")).toBeVisible();
  await expect(page.getByTestId("api-count")).toHaveText(/^1 of \d+ operations$/);
  // By tag, and words together.
  await search.fill("identity");
  expect(await page.getByTestId("api-operation").evaluateAll((els) => els.map((e) => e.getAttribute("data-operation")))).toEqual(["createToken", "revokeToken", "me"]);
  await search.fill("approval gate reject");
  await expect(page.getByTestId("api-operation")).toHaveCount(1);
  await expect(operation(page, "reject")).toBeVisible();
  await search.fill("no such thing");
  await expect(page.getByTestId("api-no-match")).toBeVisible();

  // A link to #heartbeat (the index beside the list) clears the search that hides it and opens it.
  await search.fill("claim");
  await page.evaluate(() => (window.location.hash = "heartbeat"));
  const heartbeat = operation(page, "heartbeat");
  await expect(heartbeat).toHaveAttribute("data-open", "true");
  await expect(search).toHaveValue("");
  await expect(heartbeat).toBeInViewport();
  await expect(heartbeat.getByTestId("api-request-schema")).toContainText("taskIds");
  await page.getByTestId("api-index").getByRole("link", { name: /\/runs\/\{id\}\/steps\/\{step\}\/approve/ }).click();
  await expect(operation(page, "approve")).toHaveAttribute("data-open", "true");
  await expect(operation(page, "approve")).toBeInViewport();

  // Opened by its address from elsewhere.
  await page.goto(`${url()}/api#saveTemplate`);
  const save = operation(page, "saveTemplate");
  await expect(save).toHaveAttribute("data-open", "true");
  await expect(save.getByTestId("api-request")).toContainText("application/yaml");
  await expect(save.getByTestId("api-curl")).toContainText("--data-binary @template.yaml");
});

test("[API]: on a phone nothing is wider than the screen except code, which scrolls", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/api");
  await page.goto(`${url()}/api#submitTasks`);
  const submit = operation(page, "submitTasks");
  await expect(submit).toHaveAttribute("data-open", "true");
  await expect(page.getByTestId("api-index")).toBeHidden();
  // Open the deepest things there are: every level of the request, a run's answer.
  await submit.getByTestId("api-request-schema").getByRole("button", { name: "Expand all" }).click();
  await expect(submit.locator('[data-testid="schema-property"][data-name="maxAttempts"]').first()).toBeVisible();
  await page.goto(`${url()}/api#getRun`);
  const getRun = operation(page, "getRun");
  await expect(getRun).toHaveAttribute("data-open", "true");
  await getRun.getByTestId("api-answer-schema").getByRole("button", { name: "Expand all" }).click();
  await expect(getRun.locator('[data-testid="schema-property"][data-name="decisions"]')).toBeVisible();
  await operation(page, "approve").getByTestId("api-operation-toggle").click();

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Nothing but code blocks is cut off sideways.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("main *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest("pre"))
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 3).join(".")}`),
  );
  expect(wide).toEqual([]);
  const curl = operation(page, "approve").getByTestId("api-curl");
  const { scroll, client, overflowX } = await curl.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, overflowX: getComputedStyle(e).overflowX }));
  expect(overflowX).toBe("auto");
  expect(scroll).toBeGreaterThan(client);
});
