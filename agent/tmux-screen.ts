// Pure helpers of the tmux bridge (tmux-bridge.ts): which lines of a pane capture are new since
// the previous one, even after the screen scrolled, and whether a line is the done marker.

/** The default done marker: `__SWITCHBOARD_DONE__` optionally followed by the exit code. */
export const DEFAULT_DONE_MARKER = /^__SWITCHBOARD_DONE__(?: (\d+))?$/;
/** Typed after a task's command (same line) so that a plain shell prints the marker. */
export const DONE_ECHO = "; echo __SWITCHBOARD_DONE__ $?";

/**
 * Splits `tmux capture-pane -p -J` output into lines: trailing spaces (kept by -J) and the
 * blank rows below the cursor are dropped.
 */
export function captureLines(text: string): string[] {
  const lines = text.split("\n").map((l) => l.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The lines of `cur` that come after what `prev` already showed. The capture is a window over
 * the pane's history, so when the screen scrolled, a head of `prev` is gone from `cur`: the
 * answer is found at the smallest offset `o` where `prev[o..]` is a prefix of `cur`. Without
 * any overlap (the screen was cleared, or more than a whole capture scrolled by) all of `cur`
 * is new.
 */
export function newTail(prev: readonly string[], cur: readonly string[]): string[] {
  for (let o = 0; o < prev.length; o++) {
    const rest = prev.length - o;
    if (rest > cur.length || prev[o] !== cur[0]) continue;
    let same = true;
    for (let i = 1; i < rest && same; i++) same = prev[o + i] === cur[i];
    if (same) return cur.slice(rest);
  }
  return [...cur];
}

/**
 * Tracks one task's output. The last line of a capture is where the cursor is — the prompt
 * or a line still being written — so only lines above it count as finished ("committed").
 */
export class PaneTail {
  #committed: string[];
  readonly #startPending: string;
  #anyNew = false;

  constructor(baseline: readonly string[]) {
    this.#committed = baseline.slice(0, -1);
    this.#startPending = baseline[baseline.length - 1] ?? "";
  }

  /** Feeds the next capture; returns its new finished lines and the cursor line. */
  update(cur: readonly string[]): { lines: string[]; pending: string | undefined } {
    const committed = cur.slice(0, -1);
    const lines = newTail(this.#committed, committed);
    this.#committed = committed;
    if (lines.length > 0) this.#anyNew = true;
    const last = cur[cur.length - 1];
    // The cursor line counts only once something changed, so an old marker left on the
    // screen before the task started does not end it.
    const pending = last !== undefined && (this.#anyNew || last !== this.#startPending) ? last : undefined;
    return { lines, pending };
  }
}

/** The exit code if `line` matches the done marker (its first group, or 0 without one). */
export function parseDoneMarker(line: string, marker: RegExp = DEFAULT_DONE_MARKER): { exitCode: number } | undefined {
  const m = marker.exec(line);
  if (!m) return undefined;
  const code = m[1] === undefined ? 0 : Number.parseInt(m[1], 10);
  return { exitCode: Number.isFinite(code) ? code : 0 };
}

/** `--done-marker` text → RegExp; throws a one-sentence error for an invalid one. */
export function compileDoneMarker(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new Error(`invalid --done-marker "${text}": ${(error as Error).message}`);
  }
}

/** What a message becomes in the pane: one comment line, so a shell ignores it. */
export function messageText(from: string, body: string): string {
  // No newline or other control character may reach the pane: a newline would run the rest
  // of the body as a command, a ^C would interrupt the running one.
  const flat = `${from}: ${body}`.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  return `# message from ${flat}`;
}

/** A task's command as typed: newlines stay (each runs as its own line), other control characters go. */
export function commandText(command: string): string {
  return command.replace(/\r\n?/g, "\n").replace(/[\x00-\x09\x0b-\x1f\x7f]/g, " ").replace(/\n+$/, "");
}
