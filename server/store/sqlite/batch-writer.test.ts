// [BATCH-WRITER] Statements come in a few shapes, whatever the batch size: full statements,
// then powers of two — so the prepared-statement cache holds them all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchStatements, chunkSize, sqliteDialect } from "./batch-writer";
import { task } from "../conformance";

describe("[BATCH-WRITER] chunking", () => {
  it("splits any row count into full chunks and descending powers of two that add up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 600 }), (rows, max) => {
        const sizes: number[] = [];
        for (let left = rows; left > 0; ) {
          const n = chunkSize(left, max);
          sizes.push(n);
          left -= n;
        }
        const tail = sizes.filter((n) => n !== max);
        return sizes.reduce((a, b) => a + b, 0) === rows && tail.every((n, i) => (n & (n - 1)) === 0 && (i === 0 || n < tail[i - 1]));
      }),
    );
  });

  it("37 tasks are three statements of 32, 4 and 1 rows; batches of 1 to 1,000 tasks use at most 12 SQL texts", () => {
    const of = (n: number) => batchStatements({ tasks: Array.from({ length: n }, (_, i) => task(`t${i}`)), history: [], logs: [], agents: [], samples: [] }, sqliteDialect);
    expect(of(37).map((s) => s.sql.split("),(").length)).toEqual([32, 4, 1]);
    const perStatement = Math.floor(sqliteDialect.maxParams / of(1)[0].values.length);
    const shapes = new Set<number>();
    for (let n = 1; n <= 1_000; n++) for (let left = n; left > 0; left -= chunkSize(left, perStatement)) shapes.add(chunkSize(left, perStatement));
    expect(shapes.size).toBeLessThanOrEqual(12);
    // The same shape is the same text (built once), so the prepared statement is found again.
    expect(of(37)[0].sql).toBe(of(32)[0].sql);
  });
});
