// [RETRY-AFTER] A refusal that passes — 429 or 503 with Retry-After from the HTTP API, an ack
// with `retryAfterMs` on the agent socket — is waited out and sent again; other errors are not.
import { describe, expect, it } from "vitest";
import type { Ack } from "../lib/protocol";
import { ApiError, createHttpClient, retryWaitMs } from "./http-client";
import { ReportQueue } from "./report-queue";

/** Answers each request with the next of `answers` (status, headers, body). */
function scriptedFetch(answers: { status: number; headers?: Record<string, string>; body: unknown }[]) {
  let calls = 0;
  const fetch = (async () => {
    const a = answers[Math.min(calls++, answers.length - 1)];
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { "content-type": "application/json", ...a.headers } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

const shed = (ms: number) => ({ status: 503, headers: { "retry-after": String(Math.ceil(ms / 1000)) }, body: { error: { code: "UNAVAILABLE", message: "The server is overloaded", retryAfterMs: ms } } });

describe("[RETRY-AFTER] the HTTP client (CLI)", () => {
  it("reads the wait from the body's retryAfterMs, else Retry-After seconds or a date", () => {
    expect(retryWaitMs(503, "2", { error: { retryAfterMs: 120 } })).toBe(120);
    expect(retryWaitMs(429, "3", {})).toBe(3000);
    expect(retryWaitMs(503, new Date(10_000).toUTCString(), undefined, 4_000)).toBe(6_000);
    expect(retryWaitMs(500, "3", {})).toBeNull();
    expect(retryWaitMs(503, null, {})).toBeNull();
  });

  it("waits and sends a shed request again, telling the caller each time", async () => {
    const waits: number[] = [];
    const told: number[] = [];
    const f = scriptedFetch([shed(300), shed(700), { status: 200, body: { acked: 5 } }]);
    const client = createHttpClient({ server: "http://x", token: "t", fetch: f.fetch, sleep: async (ms) => void waits.push(ms), onRetry: (ms) => told.push(ms) });
    expect(await client.inboxAck("ag_1", 5)).toEqual({ acked: 5 });
    expect(f.calls()).toBe(3);
    expect(waits).toEqual([300, 700]);
    expect(told).toEqual([300, 700]);
  });

  it("gives up with the server's sentence once the waits would pass the budget", async () => {
    const f = scriptedFetch([shed(4_000)]);
    const client = createHttpClient({ server: "http://x", token: "t", fetch: f.fetch, sleep: async () => {}, retryBudgetMs: 10_000 });
    const e = (await client.submit({ title: "x" }).catch((x: unknown) => x)) as ApiError;
    expect(f.calls()).toBe(3); // waited 4 s twice; a third wait would pass 10 s
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/overloaded/);
  });

  it("does not retry an error that is not a refusal for now", async () => {
    const f = scriptedFetch([{ status: 400, headers: { "retry-after": "1" }, body: { error: { code: "BAD_REQUEST", message: "Invalid request: title: required." } } }]);
    const client = createHttpClient({ server: "http://x", token: "t", fetch: f.fetch, sleep: async () => {} });
    await expect(client.submit({ title: "x" })).rejects.toThrow(/title/);
    expect(f.calls()).toBe(1);
  });
});

describe("[RETRY-AFTER] the agent's report queue", () => {
  it("keeps a report refused with retryAfterMs at the head, waits, resends it, and only then the next", async () => {
    const sent: string[] = [];
    const waits: number[] = [];
    let refusals = 2;
    const q = new ReportQueue(
      async (r): Promise<Ack> => {
        sent.push(r.event);
        if (r.event === "task:complete" && refusals-- > 0) return { ok: false, error: { code: "RATE_LIMITED", message: "slow down", retryAfterMs: 250 } };
        return { ok: true };
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    q.open();
    const [a, b] = await Promise.all([q.push({ event: "task:complete", payload: {} }), q.push({ event: "task:progress", payload: {} })]);
    expect(sent).toEqual(["task:complete", "task:complete", "task:complete", "task:progress"]);
    expect(waits).toEqual([250, 250]);
    expect(a.ok && b.ok).toBe(true);
  });

  it("hands the refusal over once it has been retried maxRetries times", async () => {
    const q = new ReportQueue(async (): Promise<Ack> => ({ ok: false, error: { code: "UNAVAILABLE", message: "shed", retryAfterMs: 10 } }), { sleep: async () => {}, maxRetries: 3 });
    q.open();
    const ack = await q.push({ event: "message:send", payload: {} });
    expect(ack).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
  });
});
