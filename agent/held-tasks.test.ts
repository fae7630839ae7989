import { describe, expect, it } from "vitest";
import { reconcileHeld } from "./held-tasks";

describe("[held tasks]", () => {
  it("keeps what both sides know, releases the server's leftovers, stops work the server dropped", () => {
    const result = reconcileHeld(
      [
        { taskId: "a", attempt: 1, phase: "running" },
        { taskId: "b", attempt: 2, phase: "running" },
        { taskId: "c", attempt: 1, phase: "reporting" },
        { taskId: "d", attempt: 1, phase: "accepting" },
      ],
      [
        { taskId: "a", attempt: 1 },
        { taskId: "b", attempt: 3 },
        { taskId: "e", attempt: 1 },
      ],
    );
    expect(result.release).toEqual([{ taskId: "b", attempt: 3 }, { taskId: "e", attempt: 1 }]);
    expect(result.abandon).toEqual([{ taskId: "b", attempt: 2, phase: "running" }]);
  });

  it("releases everything held by a previous process with the same name", () => {
    expect(reconcileHeld([], [{ taskId: "x", attempt: 4 }]).release).toEqual([{ taskId: "x", attempt: 4 }]);
  });
});
