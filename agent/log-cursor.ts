// Which log lines of a task are new since the last poll. The server may answer with only
// the most recent lines, so the cursor is a position in time, not an index: lines are
// ordered by `at`, and several may share one millisecond, so it also counts how many
// lines at exactly `at` have been shown.

export interface LogCursor {
  at: number;
  seenAtSameMs: number;
}

export const START: LogCursor = { at: -Infinity, seenAtSameMs: 0 };

export function newLogLines<T extends { at: number }>(cursor: LogCursor, logs: readonly T[]): { lines: T[]; cursor: LogCursor } {
  const lines: T[] = [];
  let skipAtSameMs = cursor.seenAtSameMs;
  let next = cursor;
  for (const log of logs) {
    if (log.at < cursor.at) continue;
    if (log.at === cursor.at && skipAtSameMs > 0) {
      skipAtSameMs--;
      continue;
    }
    lines.push(log);
    next = log.at === next.at ? { at: next.at, seenAtSameMs: next.seenAtSameMs + 1 } : { at: log.at, seenAtSameMs: 1 };
  }
  return { lines, cursor: next };
}
