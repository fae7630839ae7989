// The report renderers: the HTML page says what the data says (and cannot be injected), and the
// PDF is a real document — poppler's pdftotext finds the figures in it, and pdftoppm renders
// each page to an image with ink where the figures, the chart and the tables are.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { H, T, report } from "@/testing/report-fixture";
import { reportDocument } from "./report-sections";
import { renderHtml } from "./render-html";
import { renderPdf } from "./render-pdf";

/** Reads a binary PGM (P5) as written by `pdftoppm -gray`. */
function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const buf = fs.readFileSync(file);
  const header = buf.subarray(0, 64).toString("latin1").match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error(`${file} is not a binary PGM`);
  return { width: Number(header[1]), height: Number(header[2]), pixels: buf.subarray(header[0].length) };
}

/** The share of non-white pixels in a horizontal band of the page (0..1 of its height). */
const ink = (img: ReturnType<typeof readPgm>, fromY: number, toY: number) => {
  let dark = 0;
  const y0 = Math.floor(img.height * fromY);
  const y1 = Math.floor(img.height * toY);
  for (let i = y0 * img.width; i < y1 * img.width; i++) if (img.pixels[i] < 200) dark++;
  return dark / ((y1 - y0) * img.width);
};

describe("[REPORTS] rendering", () => {
  it("says the report's figures in HTML, compared with the period before, and escapes what it shows", () => {
    const html = renderHtml(reportDocument(report()));
    expect(html).toContain("<title>Daily fleet report</title>");
    expect(html).toContain("1,234");
    expect(html).toContain(">97 %<"); // 1200 / 1234
    expect(html).toContain("+23 %"); // finished, up from 1,000
    expect(html).toContain("Mon 30 Nov, 09:00"); // the period, in Berlin
    expect(html).toContain("capability gpu: 42 tasks waited p95 18 min");
    expect(html).toContain("AgentOffline");
    expect(html).not.toContain("<script>");
    expect(html).toContain("CUDA out of memory &#60;script&#62; (new)");
    // Empty sections say so instead of showing an empty table.
    const quiet = renderHtml(reportDocument(report({ errors: [], alerts: { fired: 0, resolved: 0, byRule: [] } })));
    expect(quiet).toContain("No failures in this period.");
    expect(quiet).toContain("No alert fired.");
  });

  it("labels simulated history", () => {
    const doc = reportDocument(report({ simulated: { from: T - 10 * 24 * H, to: T, note: "simulated: 30 days of a demo fleet" } }));
    expect(doc.simulated).toMatch(/^Simulated history: 30 days of a demo fleet/);
    expect(renderHtml(doc)).toContain("Simulated history");
  });

  it("renders a PDF whose text has the figures and whose pages have ink where the content is", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-report-"));
    try {
      const many = Array.from({ length: 60 }, (_, i) => ({ id: `e${i}`, title: `failure number ${i} with a long message that wraps across the column`, count: 60 - i, status: "open", firstSeen: T, isNew: false }));
      const pdf = await renderPdf(reportDocument(report({ errors: many })));
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const file = path.join(dir, "report.pdf");
      fs.writeFileSync(file, pdf);
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      expect(text).toContain("Daily fleet report");
      expect(text).toContain("1,234");
      expect(text).toContain("97 %");
      expect(text).toContain("-1.8 pp"); // the minus sign, as Helvetica can write it
      expect(text).toContain("Queue wait p95");
      expect(text).toContain("failure number 59");
      expect(text).toContain("release-train@3");
      execFileSync("pdftoppm", ["-gray", "-r", "40", file, path.join(dir, "page")]);
      const pages = fs.readdirSync(dir).filter((f) => f.startsWith("page")).sort();
      expect(pages.length).toBeGreaterThanOrEqual(2); // sixty error rows do not fit on one page
      const first = readPgm(path.join(dir, pages[0]));
      expect(first.width).toBeLessThan(first.height); // A4 portrait
      expect(ink(first, 0.03, 0.1)).toBeGreaterThan(0.01); // the title
      expect(ink(first, 0.15, 0.4)).toBeGreaterThan(0.02); // figures and the chart's bars
      const last = readPgm(path.join(dir, pages[pages.length - 1]));
      expect(ink(last, 0.03, 0.3)).toBeGreaterThan(0.005); // tables go on
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
