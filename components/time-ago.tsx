"use client";
import { useCallback, useRef } from "react";
import { useInView } from "@/lib/client/use-in-view";
import { formatAge, formatTimestamp } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";

/** "12s ago", ticking; the exact time is in the tooltip. */
export function TimeAgo({ at, never = "never", className }: { at: number | null; never?: string; className?: string }) {
  const format = useCallback((now: number) => (at == null ? never : formatAge(now - at)), [at, never]);
  const ref = useRef<HTMLTimeElement>(null);
  const text = useNowText(format, useInView(ref));
  return (
    <time ref={ref} className={className} dateTime={at == null ? undefined : new Date(at).toISOString()} title={at == null ? undefined : formatTimestamp(at)} suppressHydrationWarning>
      {text}
    </time>
  );
}
