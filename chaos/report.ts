// Turning findings into readable lines: one line per root cause, not one per request.
import { restRouteOf } from "@/server/http/rest-routes";
import type { Violation } from "./invariants";

/**
 * Groups violations that share a root cause, counting them; the first of each group is kept
 * in full. 5xx answers group by source, method, route (REST template, or "tRPC"), status and
 * answer text; server log errors by their message without the timestamp; the rest by content.
 */
export function groupViolations(vs: readonly Violation[]): { first: Violation; count: number }[] {
  const groups = new Map<string, { first: Violation; count: number }>();
  for (const v of vs) {
    let key = `${v.kind}|${v.subject}|${v.detail}`;
    if (v.kind === "http-5xx") {
      const [source, method, path = ""] = v.subject.split(" ");
      const pathname = path.split("?")[0];
      const route = pathname.startsWith("/api/trpc/") ? "tRPC" : restRouteOf(method, pathname);
      const status = /^\d+/.exec(v.detail)?.[0] ?? "";
      const answer = /answer (.*)$/.exec(v.detail)?.[1] ?? "";
      key = `${v.kind}|${source}|${method}|${route}|${status}|${answer}`;
    } else if (v.kind === "server-error") {
      key = `${v.kind}|${v.detail.replace(/^\S+ /, "")}`;
    }
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { first: v, count: 1 });
  }
  return [...groups.values()];
}
