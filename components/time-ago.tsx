"use client";
import { useCallback } from "react";
import { formatAge, formatTimestamp } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";

/** "12s ago", ticking; the exact time is in the tooltip. */
export function TimeAgo({ at, never = "never", className }: { at: number | null; never?: string; className?: string }) {
  const format = useCallback((now: number) => (at == null ? never : formatAge(now - at)), [at, never]);
  const text = useNowText(format);
  return (
    <time className={className} dateTime={at == null ? undefined : new Date(at).toISOString()} title={at == null ? undefined : formatTimestamp(at)} suppressHydrationWarning>
      {text}
    </time>
  );
}
