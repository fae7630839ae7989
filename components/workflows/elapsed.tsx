"use client";
import { useCallback } from "react";
import { formatDuration } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";

/** `to - from`, or a ticking `now - from` while `to` is null. */
export function Elapsed({ from, to, className }: { from: number | null; to: number | null; className?: string }) {
  const format = useCallback((now: number) => (from == null ? "—" : formatDuration((to ?? now) - from)), [from, to]);
  const text = useNowText(format);
  return (
    <span className={`tabular-nums ${className ?? ""}`} suppressHydrationWarning>
      {to != null && from != null ? formatDuration(to - from) : text}
    </span>
  );
}
