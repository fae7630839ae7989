// [ROLLUP] A large fleet's rollup flush is written in slices, and reads see every row that is
// not in the store yet — the slices waiting for a batch as well as the buffer.
import { describe, expect, it } from "vitest";
import type { AgentState } from "@/server/core/scheduler";
import { createMemoryStore } from "@/server/store/memory";
import type { RollupRow } from "@/server/store/ports";
import { InsightRecorder, ROLLUP_FLUSH_MS, ROLLUP_ROWS_PER_BATCH } from "./insight-recorder";

const T0 = Date.UTC(2026, 11, 1, 10, 0);

function fleet(n: number): AgentState[] {
  return Array.from({ length: n }, (_, i) => ({ id: `a${i}`, name: `fleet-${i}`, capabilities: [{ name: "fleet", level: 1 }], labels: { agent: `fleet-${i}` }, slots: 1, connected: true }) as unknown as AgentState);
}

/** A recorder that has accrued 10 s of the fleet's offered slot time. */
function accrued(agents: AgentState[]) {
  const byId = new Map(agents.map((a) => [a.id, a]));
  const rec = new InsightRecorder(createMemoryStore().insight, (id) => byId.get(id));
  rec.accrue(T0, agents);
  rec.accrue(T0 + 10_000, agents);
  return rec;
}

const total = (rows: readonly RollupRow[], dim: string, granularity: string, field: "availMs") =>
  rows.filter((r) => r.dim === dim && r.granularity === granularity).reduce((s, r) => s + r.counters[field], 0);

describe("[ROLLUP] flushing a large fleet", () => {
  it("writes at most ROLLUP_ROWS_PER_BATCH rows a batch, loses none, and reads see the rest meanwhile", () => {
    const rec = accrued(fleet(400));
    const before = rec.pending();
    const want = total(before, "agent", "minute", "availMs");
    expect(want).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(2 * ROLLUP_ROWS_PER_BATCH);

    const written: RollupRow[] = [];
    let batches = 0;
    // Past the flush interval and past the minute, so the offered slot time is due too.
    for (let now = T0 + 61_000 + ROLLUP_FLUSH_MS; batches === 0 || rec.hasUnwritten; now++) {
      const { batch } = rec.collect([], new Map(), now);
      expect(batch.rollups!.length).toBeLessThanOrEqual(ROLLUP_ROWS_PER_BATCH);
      for (const r of batch.rollups!) written.push({ ...r.key, counters: r.counters });
      batches++;
      // What is written plus what is pending is always everything.
      expect(total(written, "agent", "minute", "availMs") + total(rec.pending(), "agent", "minute", "availMs")).toBe(want);
      expect(total(written, "agent", "day", "availMs") + total(rec.pending({ granularity: "day", dims: ["agent"] }), "agent", "day", "availMs")).toBe(want);
    }
    expect(batches).toBe(Math.ceil(before.length / ROLLUP_ROWS_PER_BATCH));
    expect(rec.pending()).toEqual([]);
  });

  it("at stop, writes everything in one batch", () => {
    const rec = accrued(fleet(400));
    const rows = rec.pending().length;
    rec.flushSoon();
    expect(rec.collect([], new Map(), T0 + 10_000).batch.rollups).toHaveLength(rows);
    expect(rec.hasUnwritten).toBe(false);
  });
});
