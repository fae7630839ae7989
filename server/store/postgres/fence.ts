// Fencing for a leader's writes on PostgreSQL: the epoch the leader claimed (server/cluster/
// pg-lease.ts) travels with every group commit, and a commit made under an epoch that is no
// longer current writes nothing. Leadership and its rules: server/core/leadership.ts.

/** The lease row's name in "Leadership". */
export const LEADERSHIP = "scheduler";

/** The epoch a leader's writes are made under, and what to do when the store refuses one. */
export interface Fence {
  holder: string;
  epoch: number;
  onLost(reason: string): void;
}

/**
 * The fence every group commit of a leader starts with: a row lock (FOR KEY SHARE — writes of
 * one leader do not block each other) that only the current holder of the epoch finds. A
 * statement that does not find it fails with FENCE_FAILED in its message and writes nothing:
 * the cast of that text to an integer is the plain-SQL way to raise an error.
 */
export function fenceSql(holderParam: number, epochParam: number): { cte: string; check: string } {
  return {
    cte: `sb_fence AS (SELECT epoch FROM "Leadership" WHERE name = '${LEADERSHIP}' AND holder = $${holderParam} AND epoch = $${epochParam} FOR KEY SHARE)`,
    check: `SELECT (CASE WHEN EXISTS (SELECT 1 FROM sb_fence) THEN '1' ELSE '${FENCE_FAILED}' END)::int`,
  };
}

export const FENCE_FAILED = "FENCE_FAILED: this replica no longer leads";

export class FencedError extends Error {
  constructor(epoch: number) {
    super(`A write made as leader in epoch ${epoch} was refused: another replica leads now.`);
  }
}

export const isFenceFailure = (e: unknown) => String((e as Error)?.message ?? "").includes("FENCE_FAILED");
