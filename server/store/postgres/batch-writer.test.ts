// [BATCH-WRITER] PostgreSQL's dialect of the group commit, without a server: `$n` placeholders
// numbered per statement, GREATEST for the ack watermark, statements under the protocol's
// 65,535 bound parameters, one row per key (PostgreSQL refuses an upsert touching a row twice).
import { describe, expect, it } from "vitest";
import { batchStatements } from "../sqlite/batch-writer";
import { task } from "../conformance";
import { emptyCounters } from "@/server/core/insight/rollup";
import { oneRowPerKey, postgresDialect } from "./batch-writer";

const empty = { tasks: [], history: [], logs: [], agents: [], samples: [] };

describe("[BATCH-WRITER] PostgreSQL dialect", () => {
  it("numbers placeholders $1…$n within each statement and keeps each under 65,535 of them", () => {
    const statements = batchStatements({ ...empty, tasks: Array.from({ length: 5_000 }, (_, i) => task(`t${i}`)), acks: [{ agentId: "a", upTo: 3, at: 0 }] }, postgresDialect);
    for (const st of statements) {
      const marks = [...st.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
      expect(marks).toEqual(Array.from({ length: st.values.length }, (_, i) => i + 1));
      expect(st.values.length).toBeLessThanOrEqual(65_535);
    }
    expect(statements.at(-1)!.sql).toContain(`GREATEST("Mailbox"."ackedUpTo",excluded."ackedUpTo")`);
  });

  it("keeps the last state of a task named twice and adds up increments of one rollup key", () => {
    const key = { granularity: "minute" as const, bucket: 120_000, dim: "all" as const, key: "*" };
    const b = oneRowPerKey({
      ...empty,
      tasks: [task("a"), task("b"), task("a", { status: "running" })],
      rollups: [
        { key, counters: { ...emptyCounters(), submitted: 1 } },
        { key: { ...key, bucket: 120_001 }, counters: { ...emptyCounters(), submitted: 2 } },
      ],
    });
    expect(b.tasks.map((t) => [t.id, t.status])).toEqual([
      ["b", "queued"],
      ["a", "running"],
    ]);
    // The same minute is the same row.
    expect(b.rollups!.map((r) => r.counters.submitted)).toEqual([3]);
  });

  it("binds dates as ISO instants and NUL characters as U+FFFD", () => {
    expect(postgresDialect.bind(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 7)))).toBe("2026-01-01T00:00:00.007Z");
    expect(postgresDialect.bind("a\0b")).toBe("a\uFFFDb");
    expect(postgresDialect.bind(undefined)).toBeNull();
  });
});
