import type { Change } from "./format";

const TONE: Record<Change["tone"], string> = {
  good: "text-emerald-700 dark:text-emerald-300",
  bad: "text-red-700 dark:text-red-300",
  neutral: "text-muted",
};

const ARROW: Record<Change["direction"], string> = { up: "▲", down: "▼", same: "", new: "", none: "" };

/** "▲ +12 %" coloured by whether that is good, with the previous value for assistive technology. */
export function ChangeBadge({ change, className = "", testId }: { change: Change; className?: string; testId?: string }) {
  const arrow = ARROW[change.direction];
  return (
    <span className={`inline-flex items-baseline gap-0.5 text-xs font-medium whitespace-nowrap tabular-nums ${TONE[change.tone]} ${className}`} title={change.description} data-testid={testId} data-direction={change.direction} data-tone={change.tone}>
      {arrow && (
        <span aria-hidden className="text-[0.65rem]">
          {arrow}
        </span>
      )}
      <span aria-hidden>{change.text}</span>
      <span className="sr-only">{change.description}</span>
    </span>
  );
}
