"use client";
import { memo, useLayoutEffect, useRef, useState } from "react";
import type { TaskLogLine } from "@/lib/api";
import { MAX_LOG_LINES } from "@/lib/client/cache-patches";
import { formatClock } from "@/lib/client/format";
import { Button } from "@/components/button";

const STREAM_TONE: Record<TaskLogLine["stream"], string> = {
  stdout: "",
  stderr: "bg-red-500/10 text-red-700 dark:text-red-300",
  info: "text-sky-800 dark:text-sky-300",
};

/** How close to the bottom (px) still counts as "following" the log. */
const FOLLOW_SLACK = 32;

const LogLine = memo(function LogLine({ line }: { line: TaskLogLine }) {
  return (
    <div data-stream={line.stream} className={`flex gap-3 px-3 ${STREAM_TONE[line.stream]}`}>
      <span className="shrink-0 text-muted select-none">{formatClock(line.at)}</span>
      {/* Agent output is text, never markup. */}
      <span className="min-w-0 whitespace-pre-wrap break-all">{line.line}</span>
    </div>
  );
});

/**
 * The task's output, appended live. It follows new lines while the reader is at the bottom and
 * stays put once they scroll up; "Jump to latest" resumes following.
 */
export function LogStream({ logs, live }: { logs: TaskLogLine[]; live: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [logs, follow]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
    if (atBottom !== follow) setFollow(atBottom);
  };

  return (
    <div className="relative">
      <div
        ref={ref}
        onScroll={onScroll}
        data-testid="task-log"
        data-lines={logs.length}
        role="log"
        aria-live="off"
        className="max-h-[28rem] min-h-24 overflow-auto rounded-md border border-line bg-surface-2 py-2 font-mono text-xs leading-5"
      >
        {logs.length >= MAX_LOG_LINES && <div className="px-3 pb-1 text-muted italic">Showing the last {MAX_LOG_LINES} lines.</div>}
        {logs.length === 0 ? (
          <div className="px-3 text-muted italic">{live ? "No output yet. Lines appear here as the agent reports them." : "No output."}</div>
        ) : (
          logs.map((l, i) => (
            <div key={i}>
              {(i === 0 ? l.attempt > 1 : logs[i - 1].attempt !== l.attempt) ? (
                <div className="my-1 border-t border-line px-3 pt-1 text-muted select-none">— attempt {l.attempt} —</div>
              ) : null}
              <LogLine line={l} />
            </div>
          ))
        )}
      </div>
      {!follow && (
        <Button variant="primary" className="absolute right-3 bottom-3 shadow" onClick={() => setFollow(true)} data-testid="log-jump-latest">
          Jump to latest ↓
        </Button>
      )}
    </div>
  );
}
