import { describe, expect, test } from "vitest";
import { poolBoundsBody } from "@/lib/api/pools";
import { boundsBar, checkBounds } from "./pool-bounds";

describe("[POOLS] bounds as typed", () => {
  test("whole numbers within the API's limits, max at least min", () => {
    expect(checkBounds("0", "3")).toEqual({ ok: true, value: { min: 0, max: 3 } });
    expect(checkBounds(" 2 ", "2")).toEqual({ ok: true, value: { min: 2, max: 2 } });
    expect(checkBounds("", "3")).toEqual({ ok: false, field: "min", text: "enter a number" });
    expect(checkBounds("1.5", "3")).toEqual({ ok: false, field: "min", text: "must be a whole number" });
    expect(checkBounds("-1", "3")).toEqual({ ok: false, field: "min", text: "must be at least 0" });
    expect(checkBounds("0", "0")).toEqual({ ok: false, field: "max", text: "must be at least 1" });
    expect(checkBounds("0", "1001")).toEqual({ ok: false, field: "max", text: "must be at most 1000" });
    expect(checkBounds("3", "2")).toEqual({ ok: false, field: "max", text: "must be at least min" });
  });

  test("agrees with the schema the server checks", () => {
    for (const [min, max] of [["0", "1"], ["3", "2"], ["0", "0"], ["1000", "1000"], ["1001", "1001"], ["-1", "4"]]) {
      expect(checkBounds(min, max).ok, `${min}–${max}`).toBe(poolBoundsBody.safeParse({ min: Number(min), max: Number(max) }).success);
    }
  });
});

describe("[POOLS] the list's bar", () => {
  test("current and desired against 0..max, min marked", () => {
    expect(boundsBar(1, 2, 0, 4)).toEqual({ currentPct: 25, desiredPct: 50, minPct: 0, over: false });
    expect(boundsBar(3, 3, 1, 3)).toEqual({ currentPct: 100, desiredPct: 100, minPct: 33.3, over: false });
  });

  test("more agents than max (max just lowered) stretch the bar and say so", () => {
    expect(boundsBar(4, 2, 0, 2)).toEqual({ currentPct: 100, desiredPct: 50, minPct: 0, over: true });
    expect(boundsBar(0, 0, 0, 0).currentPct).toBe(0);
  });
});
