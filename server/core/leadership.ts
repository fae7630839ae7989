// Leadership of the scheduler among replicas: a lease row in the shared database, with a
// fencing epoch (groundwork for running several control-plane replicas on PostgreSQL).
//
// Two clocks, on purpose. The database's clock alone says when a lease ends and who may take
// it next (`claim`, run as one atomic statement in the store), so replicas never compare
// their wall clocks. A replica's own monotonic clock says how long it may act as leader after
// a claim succeeded (`heldUntil`): from the moment it *sent* the claim — the database set the
// expiry later than that, never earlier — for the lease's length less what its clock may gain
// in that time. A replica that stalls past that moment (a long GC pause, a frozen VM) may still
// issue writes it prepared as leader: every such write carries the epoch it was leader in,
// and the store refuses it once another replica has claimed (`fenced`). Kubernetes' leader
// election and Chubby's sequencers make the same split.

/** The lease as the database holds it. `holder` null: never claimed, or given up. */
export interface LeaseRow {
  holder: string | null;
  /** Grows by one at every change of holder; a write carries the epoch it was made under. */
  epoch: number;
  /** On the database's clock. */
  expiresAt: number;
}

export const NO_LEASE: LeaseRow = { holder: null, epoch: 0, expiresAt: -Infinity };

/**
 * The claim a replica makes, as the store applies it atomically at its own time `dbNow`: the
 * holder renews (same epoch), anyone takes an expired or released lease (the next epoch), and
 * otherwise nothing changes.
 */
export function claim(row: LeaseRow, replica: string, dbNow: number, ttlMs: number): { row: LeaseRow; won: boolean } {
  if (row.holder === replica && row.expiresAt > dbNow) return { row: { ...row, expiresAt: dbNow + ttlMs }, won: true };
  if (row.holder === null || row.expiresAt <= dbNow) return { row: { holder: replica, epoch: row.epoch + 1, expiresAt: dbNow + ttlMs }, won: true };
  return { row, won: false };
}

/** The holder steps down (a clean shutdown): the next claim anywhere wins at once. */
export function release(row: LeaseRow, replica: string, epoch: number): LeaseRow {
  return row.holder === replica && row.epoch === epoch ? { ...row, holder: null, expiresAt: -Infinity } : row;
}

/** Whether the store accepts a leader's write made under `epoch`. */
export function fenced(row: LeaseRow, replica: string, epoch: number): boolean {
  return row.holder === replica && row.epoch === epoch;
}

/**
 * Until when (on the replica's own monotonic clock) a won claim lets it act as leader: the time
 * it sent the claim plus the lease, less the most its clock can run slow against the
 * database's over that span (`maxDriftRate`, e.g. 0.01 for 1 %) and a fixed margin.
 */
export function heldUntil(sentAt: number, ttlMs: number, opts: { maxDriftRate: number; marginMs: number }): number {
  return sentAt + ttlMs * (1 - opts.maxDriftRate) - opts.marginMs;
}

/** How often a leader renews: well inside its lease, so one lost round trip costs nothing. */
export function renewEvery(ttlMs: number): number {
  return Math.max(1, Math.floor(ttlMs / 3));
}
