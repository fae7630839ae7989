// Number formats of the traffic page.
import { formatDuration } from "@/lib/client/format";

/** "<0.01", "0.35", "4.2", "130": enough digits to see a small rate move, not more. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return "0";
  if (perSecond < 0.01) return "<0.01";
  if (perSecond < 10) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return String(Math.round(perSecond));
}

/** p95 comes from latency buckets, so it is an upper bound ("≤ 50 ms"); none without requests. */
export function formatP95(ms: number, count: number): string {
  return count === 0 ? "—" : `≤ ${formatDuration(ms)}`;
}
