import { describe, expect, it } from "vitest";
import { toCsv } from "./csv-tables";

describe("[CSV] export", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    const csv = toCsv({ name: "x", header: ["a", "b", "c"], rows: [["plain", 'say "hi", ok', "=HYPERLINK(\"http://evil\")"], [1.5, null, "-2+3"], [-3, 0.123456789, "line\nbreak"]] });
    expect(csv).toBe('a,b,c\r\nplain,"say ""hi"", ok","\'=HYPERLINK(""http://evil"")"\r\n1.5,,\'-2+3\r\n-3,0.1235,"line\nbreak"\r\n');
  });
});
