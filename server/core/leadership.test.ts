// [LEADERSHIP] One leader at a time, whatever the delays and clock rates, and no write of a
// deposed leader lands after its successor's claim.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_LEASE, claim, fenced, heldUntil, release, renewEvery, type LeaseRow } from "./leadership";

const TTL = 10_000;
const DRIFT = { maxDriftRate: 0.01, marginMs: 50 };

describe("[LEADERSHIP] the lease row", () => {
  it("the holder renews in its epoch; others wait for the expiry, then take the next epoch", () => {
    let r = claim(NO_LEASE, "a", 0, TTL);
    expect(r).toEqual({ won: true, row: { holder: "a", epoch: 1, expiresAt: TTL } });
    r = claim(r.row, "a", 3_000, TTL);
    expect(r.row).toEqual({ holder: "a", epoch: 1, expiresAt: 13_000 });
    expect(claim(r.row, "b", 12_999, TTL).won).toBe(false);
    const b = claim(r.row, "b", 13_000, TTL);
    expect(b.row).toEqual({ holder: "b", epoch: 2, expiresAt: 23_000 });
    // The old holder coming back late gets nothing, and its writes are refused.
    expect(claim(b.row, "a", 14_000, TTL).won).toBe(false);
    expect(fenced(b.row, "a", 1)).toBe(false);
    expect(fenced(b.row, "b", 2)).toBe(true);
  });

  it("a release lets the next claim win at once; a stale release changes nothing", () => {
    const a = claim(NO_LEASE, "a", 0, TTL).row;
    expect(release(a, "b", 1)).toBe(a);
    expect(release(a, "a", 0)).toBe(a);
    const freed = release(a, "a", 1);
    expect(claim(freed, "b", 1, TTL)).toEqual({ won: true, row: { holder: "b", epoch: 2, expiresAt: 1 + TTL } });
  });

  it("a leader renews well inside its lease and stops acting before the database lets anyone else in", () => {
    expect(renewEvery(TTL)).toBeLessThan(TTL / 2);
    expect(heldUntil(1_000, TTL, DRIFT)).toBeLessThan(1_000 + TTL);
  });
});

interface Claim {
  replica: number;
  sentAt: number; // true time
  toDb: number;
  back: number;
}

const claims = fc.array(
  fc.record({
    replica: fc.integer({ min: 0, max: 3 }),
    sentAt: fc.integer({ min: 0, max: 60_000 }),
    toDb: fc.integer({ min: 0, max: 3_000 }),
    back: fc.integer({ min: 0, max: 3_000 }),
  }),
  { maxLength: 60 },
);
// Each replica's clock runs at its own rate, within the drift bound (offsets do not matter:
// a replica only measures durations on its own clock).
const rates = fc.array(fc.double({ min: 1 - DRIFT.maxDriftRate, max: 1 + DRIFT.maxDriftRate, noNaN: true }), { minLength: 4, maxLength: 4 });

/** Applies the claims in the order they reach the database; returns each won claim's leadership, in true time. */
function run(cs: readonly Claim[], rate: readonly number[]) {
  let row: LeaseRow = NO_LEASE;
  const terms: { replica: number; epoch: number; from: number; to: number }[] = [];
  for (const c of [...cs].sort((x, y) => x.sentAt + x.toDb - (y.sentAt + y.toDb))) {
    const atDb = c.sentAt + c.toDb;
    const r = claim(row, `r${c.replica}`, atDb, TTL);
    row = r.row;
    if (!r.won) continue;
    // On the replica's clock: sent at local s, leader from the answer until heldUntil(s).
    const local = (trueT: number) => trueT * rate[c.replica];
    const until = heldUntil(local(c.sentAt), TTL, DRIFT) / rate[c.replica];
    const from = atDb + c.back;
    if (from < until) terms.push({ replica: c.replica, epoch: row.epoch, from, to: until });
  }
  return terms;
}

describe("[LEADERSHIP] safety (property)", () => {
  it("no two replicas act as leader at the same moment", () => {
    fc.assert(
      fc.property(claims, rates, (cs, rate) => {
        const terms = run(cs, rate);
        for (const x of terms)
          for (const y of terms) if (x.replica !== y.replica) expect(x.to <= y.from || y.to <= x.from, `r${x.replica}@${x.epoch} [${x.from}, ${x.to}) overlaps r${y.replica}@${y.epoch} [${y.from}, ${y.to})`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("writes land in epoch order: none made under an older epoch is accepted after a newer claim", () => {
    const writes = fc.array(fc.record({ replica: fc.integer({ min: 0, max: 3 }), epoch: fc.integer({ min: 1, max: 6 }), at: fc.integer({ min: 0, max: 70_000 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(claims, writes, (cs, ws) => {
        type Ev = { at: number; kind: "claim"; c: Claim } | { at: number; kind: "write"; w: (typeof ws)[number] };
        const evs: Ev[] = [...cs.map((c) => ({ at: c.sentAt + c.toDb, kind: "claim" as const, c })), ...ws.map((w) => ({ at: w.at, kind: "write" as const, w }))].sort((a, b) => a.at - b.at);
        let row: LeaseRow = NO_LEASE;
        let highest = 0;
        for (const e of evs) {
          if (e.kind === "claim") row = claim(row, `r${e.c.replica}`, e.at, TTL).row;
          else if (fenced(row, `r${e.w.replica}`, e.w.epoch)) {
            expect(e.w.epoch).toBeGreaterThanOrEqual(highest);
            expect(e.w.epoch).toBe(row.epoch);
            highest = e.w.epoch;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
