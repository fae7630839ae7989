import { describe, expect, it } from "vitest";
import { newLogLines, START } from "./log-cursor";

const at = (ms: number, line: string) => ({ at: ms, line });

describe("[log cursor]", () => {
  it("returns only lines not shown before, across polls", () => {
    const first = newLogLines(START, [at(1, "a"), at(2, "b"), at(2, "c")]);
    expect(first.lines.map((l) => l.line)).toEqual(["a", "b", "c"]);
    const second = newLogLines(first.cursor, [at(1, "a"), at(2, "b"), at(2, "c"), at(2, "d"), at(3, "e")]);
    expect(second.lines.map((l) => l.line)).toEqual(["d", "e"]);
    expect(newLogLines(second.cursor, [at(2, "d"), at(3, "e")]).lines).toEqual([]);
  });

  it("works when the server only sends the most recent lines", () => {
    const first = newLogLines(START, [at(5, "a"), at(6, "b")]);
    const second = newLogLines(first.cursor, [at(6, "b"), at(7, "c")]);
    expect(second.lines.map((l) => l.line)).toEqual(["c"]);
  });
});
