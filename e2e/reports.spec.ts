// [REPORTS] The reports page on the shared server: make a report for the last 24 h, open its page,
// download its PDF (poppler reads the figures back: the same as the report's JSON), download a
// CSV export, run the daily schedule now, add a schedule through the form; axe-clean and fitting
// a 390 px phone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { admin, logIn, submitTask, url } from "./helpers";

test.describe.configure({ mode: "serial" });

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

test("[REPORTS]: make a report, view it, download its PDF and a CSV export", async ({ page }) => {
  // A task created in the period, for the CSV export to list.
  const id = await submitTask({ title: "e2e report task", payload: { n: 1 } });
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, "/reports");
  await expect(page.getByTestId("report-schedules")).toContainText("Daily fleet report");
  await expect(page.getByTestId("report-schedules")).toContainText("every day at 08:00 (UTC)");
  await page.getByTestId("report-title").fill("E2E fleet report");
  await page.getByTestId("report-quick-24h").click();
  await expect(page.getByTestId("report-made")).toContainText("E2E fleet report");
  const row = page.getByTestId("report-row").filter({ hasText: "E2E fleet report" }).first();
  await expect(row).toBeVisible();
  const reportId = (await row.getAttribute("data-report-id"))!;
  const figures = (await (await fetch(`${url()}/api/v1/reports/${reportId}`, { headers: admin() })).json()) as { report: { fleet: { now: { finished: number } } } };

  // The page, in a new tab.
  const [popup] = await Promise.all([page.waitForEvent("popup"), row.getByTestId("report-view").click()]);
  await expect(popup).toHaveTitle("E2E fleet report");
  await expect(popup.getByRole("heading", { name: "E2E fleet report" })).toBeVisible();
  await expect(popup.getByText("Tasks finished").first()).toBeVisible();
  await popup.close();

  // The PDF, downloaded, read back with poppler.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-e2e-report-"));
  try {
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("report-pdf").click()]);
    expect(download.suggestedFilename()).toMatch(/^e2e-fleet-report-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = path.join(dir, "report.pdf");
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("E2E fleet report");
    // The headline figure in the PDF is the server's own.
    expect(text).toMatch(new RegExp(`Tasks finished[\\s\\S]{0,200}?\\b${figures.report.fleet.now.finished.toLocaleString("en-US")}\\b`));
    execFileSync("pdftoppm", ["-gray", "-r", "30", "-f", "1", "-l", "1", file, path.join(dir, "page")]);
    expect(fs.readdirSync(dir).some((f) => f.startsWith("page"))).toBe(true);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-tasks").click()]);
    expect(csv.suggestedFilename()).toMatch(/^switchboard-tasks-.*\.csv$/);
    const csvFile = path.join(dir, "tasks.csv");
    await csv.saveAs(csvFile);
    const lines = fs.readFileSync(csvFile, "utf8").trim().split("\r\n");
    expect(lines[0]).toMatch(/^id,title,status/);
    expect(lines.some((l) => l.startsWith(`${id},`))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await page.screenshot({ path: test.info().outputPath("reports-1440.png"), fullPage: true });
  await expectNoSeriousViolations(page, "reports at 1440 px");
});

test("[REPORTS]: an admin runs the daily report now and adds a schedule; the page fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "/reports");
  const daily = page.getByTestId("schedule-row").filter({ hasText: "Daily fleet report" });
  await daily.getByTestId("schedule-run").click();
  await expect(page.getByTestId("schedule-ran")).toContainText("Daily fleet report");
  await expect(page.getByTestId("report-row").filter({ hasText: "Daily fleet report" }).first()).toBeVisible();

  await page.getByText("New schedule").click();
  await page.getByTestId("schedule-name").fill("E2E weekday report");
  await page.getByTestId("schedule-cron").fill("0 8 * * 1-5");
  await page.getByTestId("schedule-tz").fill("Europe/Berlin");
  await page.getByTestId("schedule-save").click();
  await expect(page.getByTestId("schedule-row").filter({ hasText: "E2E weekday report" })).toContainText("weekdays at 08:00 (Europe/Berlin)");

  // A bad expression is refused with the server's sentence, and the input stays.
  await page.getByTestId("schedule-name").fill("E2E broken");
  await page.getByTestId("schedule-cron").fill("0 25 * * *");
  await page.getByTestId("schedule-save").click();
  await expect(page.getByRole("alert").filter({ hasText: "cron:" })).toBeVisible();
  await expect(page.getByTestId("schedule-cron")).toHaveValue("0 25 * * *");

  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("reports-390.png"), fullPage: true });
  await expectNoSeriousViolations(page, "reports at 390 px");
});
