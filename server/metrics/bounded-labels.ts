// Label values for /metrics. Every distinct label value is a time series that this server and
// every Prometheus scraping it keep for as long as they run, so no label here takes a value a
// caller can mint at will: capabilities are capped, routes are templates, methods a fixed set.
import { TRPC_OPERATIONS } from "@/lib/policy";

/** Not valid capability names (those start with a letter or digit), so they can never clash with one. */
export const NO_CAPABILITY = "_none";
export const OTHER = "_other";

/**
 * A submit token can require capabilities no agent has, with any names it likes; past this many
 * distinct names the rest share one series.
 */
export const MAX_CAPABILITY_LABELS = 100;

/**
 * A task's `capability` label: the first capability it requires, as the submitter listed it (the
 * same one error groups are filed under), `_none` when it requires none. One label per task, so a
 * task needing `gpu` and `python` is counted once — `sum()` over capabilities is the number of
 * tasks — rather than once per capability.
 */
export class CapabilityLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max = MAX_CAPABILITY_LABELS) {}

  of(requirements: readonly { name: string }[]): string {
    const name = requirements[0]?.name;
    if (!name) return NO_CAPABILITY;
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max) return OTHER;
    this.known.add(name);
    return name;
  }

  /** Every capability label handed out so far (so a gauge can say 0 rather than vanish). */
  values(): Iterable<string> {
    return this.known;
  }
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

export const methodLabel = (method: string | undefined) => (method && METHODS.has(method) ? method : OTHER);

const AUTH_ROUTES = new Set(["/api/auth/login", "/api/auth/logout", "/api/auth/token"]);

/**
 * The `route` label from the route name request tracking already uses (server/app.ts): REST
 * templates (`POST /api/v1/tasks/:id/cancel` → `/api/v1/tasks/:id/cancel`, the method is its own
 * label), `trpc tasks.find` → `/api/trpc/tasks.find` for known procedures only, `mcp` → `/mcp`,
 * `metrics` → `/metrics`; anything unmatched (a raw path, an unknown procedure) → `_other`.
 */
export function routeLabel(tracked: string): string {
  if (tracked === "mcp") return "/mcp";
  if (tracked === "metrics") return "/metrics";
  if (tracked.startsWith("trpc ")) {
    const procedure = tracked.slice(5);
    return Object.hasOwn(TRPC_OPERATIONS, procedure) ? `/api/trpc/${procedure}` : `/api/trpc/${OTHER}`;
  }
  const space = tracked.indexOf(" ");
  const head = tracked.slice(0, space);
  const path = tracked.slice(space + 1);
  // restRouteOf answers `<METHOD> /api/v1<template>` only for a route it matched.
  if (METHODS.has(head) && path.startsWith("/api/v1/")) return path;
  if (head === "other" && AUTH_ROUTES.has(path)) return path;
  return OTHER;
}
