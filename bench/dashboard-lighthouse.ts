// Lighthouse 12.2.3 (pinned: 13 wants Node 22) over its Node API against Debian's chromium, for
// bench:dashboard. One chromium per run (a fresh profile each time, as Lighthouse's CLI does),
// the session cookie sent as an extra header on every request. Mobile is Lighthouse's default
// config (Moto G Power emulation, simulated slow 4G and 4× CPU slowdown); desktop is its
// desktop-config.js.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

export type Preset = "mobile" | "desktop";

export interface LighthouseRun {
  lcpMs: number;
  tbtMs: number;
  cls: number;
  score: number;
  /** JavaScript transferred (KB) and the script with the most main-thread time — what to look at next. */
  jsKb: number;
  topScript: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type Audit = { numericValue?: number; details?: { items?: Record<string, unknown>[] } };

export async function runLighthouse(url: string, cookie: string, preset: Preset): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"], extraHeaders: { Cookie: cookie } },
      preset === "desktop" ? desktopConfig : undefined,
    );
    if (!result) throw new Error(`lighthouse gave no result for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    if (new URL(lhr.finalDisplayedUrl).pathname.startsWith("/login")) throw new Error(`lighthouse landed on the login page for ${url}: the cookie was not accepted`);
    const audit = (id: string) => lhr.audits[id] as Audit | undefined;
    const num = (id: string) => audit(id)?.numericValue ?? NaN;
    const scripts = (audit("network-requests")?.details?.items ?? []).filter((i) => i.resourceType === "Script");
    const boot = (audit("bootup-time")?.details?.items ?? []).filter((i) => String(i.url).includes("/_next/"));
    const top = boot.sort((a, b) => Number(b.total) - Number(a.total))[0];
    return {
      lcpMs: num("largest-contentful-paint"),
      tbtMs: num("total-blocking-time"),
      cls: num("cumulative-layout-shift"),
      score: lhr.categories.performance.score ?? NaN,
      jsKb: scripts.reduce((n, i) => n + Number(i.transferSize ?? 0), 0) / 1024,
      topScript: top ? `${String(top.url).split("/").pop()}:${Math.round(Number(top.total))}ms` : "-",
    };
  } finally {
    chrome.kill();
  }
}

/** `runs` runs, the median of each figure (so the line is not one lucky or unlucky run). */
export async function lighthouseMedian(url: string, cookie: string, preset: Preset, runs: number): Promise<LighthouseRun & { all: LighthouseRun[] }> {
  const all: LighthouseRun[] = [];
  for (let i = 0; i < runs; i++) all.push(await runLighthouse(url, cookie, preset));
  const byLcp = [...all].sort((a, b) => a.lcpMs - b.lcpMs)[Math.floor((all.length - 1) / 2)];
  return {
    lcpMs: median(all.map((r) => r.lcpMs)),
    tbtMs: median(all.map((r) => r.tbtMs)),
    cls: median(all.map((r) => r.cls)),
    score: median(all.map((r) => r.score)),
    jsKb: median(all.map((r) => r.jsKb)),
    topScript: byLcp.topScript,
    all,
  };
}
