import { describe, expect, it } from "vitest";
import { ApiError, createHttpClient } from "./http-client";

/** A fetch that records requests and answers with the given status and body. */
function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; method: string; body: unknown; auth: string | null }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({ url, method: init.method ?? "GET", body: init.body ? JSON.parse(String(init.body)) : undefined, auth: headers.authorization ?? null });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const step = {
  id: "a",
  templateStepId: "a",
  type: "task",
  title: "a",
  status: "queued",
  dependsOn: [],
  taskId: null,
  agentId: null,
  agentName: null,
  attempt: 0,
  result: null,
  error: null,
  startedAt: null,
  finishedAt: null,
  decisions: [],
  description: null,
  approvalDeadline: null,
};
/** A run as the server answers it: the client parses every answer with the API's schema. */
const run = {
  id: "run_1",
  templateName: "wf",
  templateVersion: 2,
  status: "running",
  params: {},
  failurePolicy: "fail-fast",
  concurrency: 4,
  triggeredBy: "admin",
  error: null,
  createdAt: 1,
  finishedAt: null,
  steps: [step],
};

describe("[cli workflow] http client", () => {
  it("keeps the validation issues of a rejected template", async () => {
    const issues = [
      { step: "test", path: "steps.1.dependsOn", message: "unknown step buld" },
      { step: null, path: "name", message: "required" },
    ];
    const { fetch } = fakeFetch(400, { error: { code: "BAD_REQUEST", message: "Invalid workflow: 2 problems.", issues } });
    const client = createHttpClient({ server: "http://x", token: "t", fetch });
    const error = await client.workflowApply({ source: "name: x", format: "yaml" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("BAD_REQUEST");
    expect((error as ApiError).issues).toEqual(issues);
  });

  it("has no issues for other errors", async () => {
    const { fetch } = fakeFetch(404, { error: { code: "NOT_FOUND", message: "No run run_x." } });
    const error = (await createHttpClient({ server: "http://x", token: "t", fetch }).runGet("run_x").catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("NOT_FOUND");
    expect(error.issues).toEqual([]);
  });

  it("sends runs, decisions and filters to the contract's paths", async () => {
    const { fetch, calls } = fakeFetch(200, { run });
    const client = createHttpClient({ server: "http://x/", token: "t", fetch });
    await client.workflowRun("feature-pipeline", { params: { slices: "3" }, version: 2 });
    await client.runDecide("run_1", "review", "approve", "lgtm");
    await client.runDecide("run_1", "review", "reject");
    await client.runRerun("run_1", "test");
    await client.runCancel("run 1");
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "http://x/api/v1/workflows/feature-pipeline/runs", { params: { slices: "3" }, version: 2 }],
      ["POST", "http://x/api/v1/runs/run_1/steps/review/approve", { comment: "lgtm" }],
      ["POST", "http://x/api/v1/runs/run_1/steps/review/reject", {}],
      ["POST", "http://x/api/v1/runs/run_1/rerun", { fromStep: "test" }],
      ["POST", "http://x/api/v1/runs/run%201/cancel", undefined],
    ]);
    expect(calls.every((c) => c.auth === "Bearer t")).toBe(true);

    const list = fakeFetch(200, { runs: [], nextCursor: null });
    await createHttpClient({ server: "http://x", token: "t", fetch: list.fetch }).runList({ status: "failed", template: "wf", limit: 5 });
    expect(list.calls[0].url).toBe("http://x/api/v1/runs?status=failed&template=wf&limit=5");
  });

  it("reports an answer of the wrong shape in one sentence", async () => {
    const { fetch } = fakeFetch(200, { runs: "nope" });
    await expect(createHttpClient({ server: "http://x", token: "t", fetch }).runList()).rejects.toThrow(/GET \/api\/v1\/runs with an unexpected body/);
  });
});
