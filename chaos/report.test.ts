import { describe, expect, it } from "vitest";
import type { Violation } from "./invariants";
import { groupViolations } from "./report";

const fiveXX = (subject: string, at: string, answer: string): Violation => ({ kind: "http-5xx", subject, detail: `500 at ${at}; request "x"; answer ${answer}` });

describe("groupViolations", () => {
  it("counts 5xx of one route and answer together, whatever the ids, times and requests", () => {
    const g = groupViolations([
      fiveXX("fuzz TRACE /api/trpc/a.b?batch=9", "11:00:00.000", "\"tRPC trace\""),
      fiveXX("fuzz TRACE /api/trpc/c.d?batch=8", "11:00:01.000", "\"tRPC trace\""),
      fiveXX("fuzz POST /api/v1/tasks/t_1/retry", "11:00:02.000", "\"internal\""),
      fiveXX("fuzz POST /api/v1/tasks/t_2/retry", "11:00:03.000", "\"internal\""),
      fiveXX("fuzz POST /api/v1/tasks", "11:00:04.000", "\"internal\""),
    ]);
    expect(g.map((x) => x.count)).toEqual([2, 2, 1]);
  });
  it("groups server log errors by message, not timestamp, and keeps other findings apart", () => {
    const g = groupViolations([
      { kind: "server-error", subject: "server log", detail: "2026-11-24T11:00:00Z ERROR boom" },
      { kind: "server-error", subject: "server log", detail: "2026-11-24T11:00:09Z ERROR boom" },
      { kind: "lost", subject: "task a", detail: "no terminal record" },
      { kind: "lost", subject: "task b", detail: "no terminal record" },
    ]);
    expect(g.map((x) => x.count)).toEqual([2, 1, 1]);
  });
});
