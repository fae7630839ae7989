import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter, TailBuffer } from "./line-splitter";

describe("[line splitter]", () => {
  it("keeps partial lines until the newline arrives", () => {
    const s = new LineSplitter();
    expect(s.push("hel")).toEqual([]);
    expect(s.push("lo\nwor")).toEqual(["hello"]);
    expect(s.push("ld\n\nnext")).toEqual(["world", ""]);
    expect(s.end()).toEqual(["next"]);
    expect(s.end()).toEqual([]);
  });

  it("strips CRLF line endings", () => {
    const s = new LineSplitter();
    expect(s.push("a\r\nb\r")).toEqual(["a"]);
    expect(s.push("\n")).toEqual(["b"]);
  });

  it("cuts runaway lines at the maximum length", () => {
    const s = new LineSplitter(4);
    expect(s.push("abcdefghij")).toEqual(["abcd", "efgh"]);
    expect(s.push("k\n")).toEqual(["ijk"]);
    expect(s.push("123456789\n")).toEqual(["1234", "5678", "9"]);
  });

  it("yields the same lines however the text is chunked", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "\n", "é")), fc.array(fc.nat(), { maxLength: 10 }), (chars, cuts) => {
        const text = chars.join("");
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const s = new LineSplitter(1_000);
        const lines: string[] = [];
        let from = 0;
        for (const p of [...points, text.length]) {
          lines.push(...s.push(text.slice(from, p)));
          from = p;
        }
        lines.push(...s.end());
        const expected = text.split("\n");
        if (expected.at(-1) === "") expected.pop();
        expect(lines).toEqual(expected);
      }),
    );
  });

  it("keeps only the last items in a tail", () => {
    const tail = new TailBuffer<number>(3);
    [1, 2, 3, 4, 5].forEach((n) => tail.push(n));
    expect(tail.items).toEqual([3, 4, 5]);
  });
});
