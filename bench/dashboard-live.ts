// The live-update measure of bench:dashboard: a signed-in /tasks page in Debian's chromium
// (playwright-core) while tasks are submitted at a fixed rate over REST, each titled
// `live-<seq>-<sent wall-clock ms>`. In the page, before any of its scripts run:
//   - every WebSocket frame is looked at first (a listener added in the constructor runs before
//     Socket.IO's own `onmessage`): the first frame that names a task is when the server's push
//     reached the tab — on 127.0.0.1 that is the server's emit plus well under a millisecond;
//   - a MutationObserver notes when the title is first in the DOM;
//   - a PerformanceObserver sums long tasks (> 50 ms) on the main thread.
// All times are wall clock (performance.timeOrigin + now()); the bench and chromium share the
// machine's clock. Two latencies: push → on screen (the dashboard's share, what the target is
// about) and submit → on screen (also the server's intake and its 250 ms coalescing window).
import { chromium } from "playwright-core";

export interface LiveResult {
  sent: number;
  /** Submissions the server shed (503) or failed: never on screen, not counted. */
  refused: number;
  seen: number;
  pushToScreenP50: number;
  pushToScreenP95: number;
  submitToScreenP50: number;
  submitToScreenP95: number;
  longTaskPct: number;
  events: number;
}

// Plain JavaScript in a string: a function's source would carry tsx's helpers (`__name`) into the page.
const INIT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const live = (window.__live = { frame: {}, seen: {}, longMs: 0, longFrom: 0, frames: 0 });
  const re = /live-(\\d+)-\\d+/g;
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string") return;
        live.frames++;
        const at = now();
        for (const m of e.data.matchAll(re)) live.frame[m[1]] ??= at;
      });
    }
  }
  window.WebSocket = Watched;
  const scan = (text, at) => {
    if (!text || !text.includes("live-")) return;
    for (const m of text.matchAll(re)) live.seen[m[1]] ??= at;
  };
  new MutationObserver((records) => {
    const at = now();
    for (const r of records) {
      if (r.type === "characterData") scan(r.target.textContent, at);
      for (const n of r.addedNodes) scan(n.textContent, at);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime + performance.timeOrigin >= live.longFrom) live.longMs += e.duration;
  }).observe({ type: "longtask", buffered: false });
})();`;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export async function measureLive(opts: { url: string; cookie: string; submitToken: string; rate: number; seconds: number; requires: string[] }): Promise<LiveResult> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const [name, value] = opts.cookie.split(/=(.*)/s);
    await context.addCookies([{ name, value, url: opts.url }]);
    const page = await context.newPage();
    await page.addInitScript({ content: INIT });
    await page.goto(`${opts.url}/tasks`);
    await page.getByTestId("live-status").first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"][data-status="connected"]'), undefined, { timeout: 30_000 });
    await page.getByTestId("task-list").or(page.getByTestId("tasks-empty")).first().waitFor({ timeout: 30_000 });
    const t0 = performance.timeOrigin + performance.now();
    await page.evaluate((from) => ((window as unknown as { __live: { longFrom: number; longMs: number } }).__live.longFrom = from), t0);
    const sentAt = new Map<number, number>();
    const total = Math.round(opts.rate * opts.seconds);
    const inflight: Promise<unknown>[] = [];
    let errors = 0;
    for (let seq = 0; seq < total; seq++) {
      // Open loop: each submission at its time on the schedule, whatever the earlier ones did.
      const due = t0 + (seq * 1000) / opts.rate;
      const wait = due - (performance.timeOrigin + performance.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const at = performance.timeOrigin + performance.now();
      sentAt.set(seq, at);
      inflight.push(
        fetch(`${opts.url}/api/v1/tasks`, {
          method: "POST",
          headers: { authorization: `Bearer ${opts.submitToken}`, "content-type": "application/json" },
          body: JSON.stringify({ title: `live-${seq}-${Math.round(at)}`, command: "true", requires: opts.requires }),
        }).then((r) => void (r.status === 201 || errors++), () => void errors++),
      );
    }
    await Promise.all(inflight);
    const end = performance.timeOrigin + performance.now();
    // Give the last pushes time to land (the server coalesces every 250 ms).
    await page.waitForFunction((n) => Object.keys((window as unknown as { __live: { seen: object } }).__live.seen).length >= n, total, { timeout: 5_000 }).catch(() => {});
    const live = await page.evaluate(() => (window as unknown as { __live: { frame: Record<string, number>; seen: Record<string, number>; longMs: number; frames: number } }).__live);
    const windowMs = Math.max(end, ...Object.values(live.seen)) - t0;
    const push: number[] = [];
    const submit: number[] = [];
    for (const [seqText, seenAt] of Object.entries(live.seen)) {
      const seq = Number(seqText);
      const sent = sentAt.get(seq);
      if (sent !== undefined) submit.push(seenAt - sent);
      const frame = live.frame[seqText];
      if (frame !== undefined) push.push(Math.max(0, seenAt - frame));
    }
    push.sort((a, b) => a - b);
    submit.sort((a, b) => a - b);
    return {
      sent: total,
      refused: errors,
      seen: submit.length,
      pushToScreenP50: pct(push, 50),
      pushToScreenP95: pct(push, 95),
      submitToScreenP50: pct(submit, 50),
      submitToScreenP95: pct(submit, 95),
      longTaskPct: (100 * live.longMs) / windowMs,
      events: live.frames,
    };
  } finally {
    await browser.close();
  }
}
