import fc from "fast-check";
import { expect, test } from "vitest";
import { MinHeap } from "./min-heap";

test("[MIN_HEAP]: pops values in key order and reports the smallest key", () => {
  const h = new MinHeap<string>();
  expect(h.pop()).toBeUndefined();
  expect(h.peekKey()).toBeUndefined();
  h.push(30, "c");
  h.push(10, "a");
  h.push(20, "b");
  expect(h.size).toBe(3);
  expect(h.peekKey()).toBe(10);
  expect([h.pop(), h.pop(), h.pop(), h.pop()]).toEqual(["a", "b", "c", undefined]);
});

test("[MIN_HEAP]: any sequence of pushes and pops returns the minimum each time (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { freq: 3 }), { maxLength: 200 }), (ops) => {
      const h = new MinHeap<number>();
      const model: number[] = [];
      for (const k of ops) {
        if (k === null) {
          model.sort((a, b) => a - b);
          expect(h.pop()).toBe(model.shift());
        } else {
          h.push(k, k);
          model.push(k);
        }
        expect(h.size).toBe(model.length);
        expect(h.peekKey()).toBe(model.length ? Math.min(...model) : undefined);
      }
    }),
    { numRuns: 300 },
  );
});
