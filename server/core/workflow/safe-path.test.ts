import { expect, test } from "vitest";
import { formatPath, readPath } from "./safe-path";

test("[PATH]: readPath reads own properties only and treats prototype names as missing", () => {
  const data = { a: { b: [1, { c: "x" }] } };
  expect(readPath(data, ["a", "b", 1, "c"])).toBe("x");
  expect(readPath(data, ["a", "b", "1", "c"])).toBe("x");
  expect(readPath(data, ["a", "nope", "c"])).toBeUndefined();
  expect(readPath(data, ["a", "constructor"])).toBeUndefined();
  expect(readPath(data, ["a", "__proto__"])).toBeUndefined();
  expect(readPath(data, ["a", "hasOwnProperty"])).toBeUndefined();
  expect(readPath("text", ["length"])).toBeUndefined();
  expect(readPath(data, [])).toBe(data);
});

test("[PATH]: formatPath writes dots for names and brackets for indexes and odd keys", () => {
  expect(formatPath(["steps", "test", "result", "a b", 0])).toBe('steps.test.result["a b"][0]');
});
