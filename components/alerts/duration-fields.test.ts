import { describe, expect, it } from "vitest";
import { elapsed, humanDuration, joinDuration, splitDuration } from "./duration-fields";

describe("alert durations", () => {
  it("reads as people say them, at most two units", () => {
    expect(humanDuration(0)).toBe("0");
    expect(humanDuration(850)).toBe("850 ms");
    expect(humanDuration(1_500)).toBe("1.5 s");
    expect(humanDuration(30_000)).toBe("30 s");
    expect(humanDuration(90_000)).toBe("1 min 30 s");
    expect(humanDuration(300_000)).toBe("5 min");
    expect(humanDuration(5_400_000)).toBe("1 h 30 min");
    expect(humanDuration(4 * 3_600_000)).toBe("4 h");
    expect(humanDuration(86_400_000)).toBe("1 day");
    expect(humanDuration(2 * 86_400_000 + 3 * 3_600_000 + 60_000)).toBe("2 days 3 h");
    expect([elapsed(0), elapsed(0.4), elapsed(12.6), elapsed(1_500)]).toEqual(["0 ms", "0 ms", "13 ms", "1.5 s"]);
  });

  it("puts a value in the largest unit that states it exactly", () => {
    expect(splitDuration(300_000)).toEqual({ amount: "5", unit: "min" });
    expect(splitDuration(90_000)).toEqual({ amount: "90", unit: "s" });
    expect(splitDuration(4 * 3_600_000, ["min", "h", "d"])).toEqual({ amount: "4", unit: "h" });
    expect(splitDuration(90_000, ["min", "h"])).toEqual({ amount: "1.5", unit: "min" });
    expect(splitDuration(0, ["s", "min", "h"])).toEqual({ amount: "0", unit: "min" });
    expect(splitDuration(0, ["h", "d"])).toEqual({ amount: "0", unit: "h" });
  });

  it("turns an amount and unit back into milliseconds, refusing what is not a number", () => {
    expect(joinDuration({ amount: "5", unit: "min" })).toBe(300_000);
    expect(joinDuration({ amount: " 1,5 ", unit: "h" })).toBe(5_400_000);
    expect(joinDuration({ amount: "0", unit: "s" })).toBe(0);
    expect(joinDuration({ amount: "", unit: "s" })).toBeNull();
    expect(joinDuration({ amount: "-1", unit: "s" })).toBeNull();
    expect(joinDuration({ amount: "5m", unit: "min" })).toBeNull();
    for (const ms of [1_000, 60_000, 900_000, 3_600_000, 86_400_000]) expect(joinDuration(splitDuration(ms))).toBe(ms);
  });
});
