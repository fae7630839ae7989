// When scheduled reports are due: the instants a cron expression (in its time zone) names
// between the last run and now, and what to do with the ones missed while the server was down —
// skip them (only what is due now runs) or catch up (each missed period gets its report, the
// oldest beyond a cap dropped). Pure: croner only does calendar arithmetic here; the clock is
// whatever the caller passes.
import { Cron } from "croner";

export type CatchUp = "skip" | "catch-up";

/** A run is late, not missed, within this long of its instant (a tick of the scheduler, a slow start). */
export const LATE_GRACE_MS = 5 * 60_000;
/** Catching up after a long outage produces at most this many reports per schedule. */
export const MAX_CATCH_UP = 10;

export interface Due {
  /** The instants to produce a report for now, oldest first. */
  run: number[];
  /** Instants missed and not produced (skipped, or beyond the catch-up cap). */
  skipped: number[];
  /** The instant to remember as done (the newest considered), or null if nothing was due. */
  through: number | null;
}

/** Why a cron expression or time zone is unusable, as a sentence; null when both are fine. */
export function cronProblem(cron: string, timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    return `timeZone: must be an IANA time zone such as Europe/Berlin or UTC (got ${JSON.stringify(timeZone.slice(0, 40))})`;
  }
  if (cron.trim().split(/\s+/).length !== 5) return "cron: must have five fields (minute hour day-of-month month day-of-week), e.g. 0 8 * * 1";
  try {
    const c = new Cron(cron, { timezone: timeZone, paused: true });
    if (!c.nextRun(new Date(0))) return "cron: never fires";
  } catch (e) {
    return `cron: ${(e as Error).message.replace(/^CronPattern: /, "")}`;
  }
  return null;
}

/** The next instant after `after` (ms), or null. */
export function nextRunAfter(cron: string, timeZone: string, after: number): number | null {
  const d = new Cron(cron, { timezone: timeZone, paused: true }).nextRun(new Date(after));
  return d ? d.getTime() : null;
}

/**
 * The instants in (through, now] and what to do with them. A schedule that never ran
 * (`through` null) starts from `now`: creating a schedule does not back-fill the past.
 */
export function dueRuns(cron: string, timeZone: string, through: number | null, now: number, policy: CatchUp): Due {
  if (through == null) return { run: [], skipped: [], through: now };
  const instants: number[] = [];
  let t = through;
  // Bounded: a minutely schedule down for a year must not walk half a million instants.
  for (let i = 0; i < 10_000; i++) {
    const n = nextRunAfter(cron, timeZone, t);
    if (n == null || n > now) break;
    instants.push(n);
    t = n;
  }
  if (!instants.length) return { run: [], skipped: [], through: null };
  const onTime = instants.filter((x) => now - x <= LATE_GRACE_MS);
  const missed = instants.filter((x) => now - x > LATE_GRACE_MS);
  if (policy === "skip") return { run: onTime, skipped: missed, through: instants[instants.length - 1] };
  const all = [...missed, ...onTime];
  const keep = all.slice(-MAX_CATCH_UP);
  return { run: keep, skipped: all.slice(0, all.length - keep.length), through: instants[instants.length - 1] };
}
