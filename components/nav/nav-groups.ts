// The dashboard's navigation as data: groups of links, each link with the permission its page's
// actions need. The bar (menus on a desktop, a drawer on a phone) renders whatever is here, so a
// new group is one more entry. Pure: the tests check matching and filtering without a DOM.
import type { Permission } from "@/lib/policy";

export interface NavLink {
  href: string;
  label: string;
  /** `nav-<testId>` in the DOM; kept stable when a label changes, since e2e specs click them. */
  testId: string;
  match: (pathname: string) => boolean;
  /** Left out for callers without it. */
  permission?: Permission;
  /** Shows the pending-approvals count, or how many alerts fire. */
  badge?: "approvals" | "alerts";
}

export interface NavGroup {
  id: string;
  label: string;
  links: readonly NavLink[];
}

const under = (prefix: string) => (p: string) => p === prefix || p.startsWith(`${prefix}/`);

export const NAV_GROUPS: readonly NavGroup[] = [
  {
    id: "work",
    label: "Work",
    links: [
      { href: "/tasks", label: "Tasks", testId: "tasks", match: (p) => under("/tasks")(p) && !under("/tasks/new")(p) },
      { href: "/tasks/new", label: "Submit task", testId: "submit", match: under("/tasks/new"), permission: "create" },
      { href: "/workflows", label: "Workflows", testId: "workflows", match: under("/workflows") },
      { href: "/runs", label: "Runs", testId: "runs", match: under("/runs") },
      { href: "/approvals", label: "Approvals", testId: "approvals", match: under("/approvals"), badge: "approvals" },
    ],
  },
  {
    id: "fleet",
    label: "Fleet",
    links: [
      { href: "/", label: "Agents", testId: "fleet", match: (p) => p === "/" || under("/agents")(p) },
      { href: "/pools", label: "Pools", testId: "pools", match: under("/pools") },
      { href: "/messages", label: "Channels", testId: "channels", match: under("/messages") },
    ],
  },
  {
    id: "health",
    label: "Health",
    links: [
      { href: "/alerts", label: "Alerts", testId: "alerts", match: under("/alerts"), badge: "alerts" },
      { href: "/incidents", label: "Incidents", testId: "incidents", match: under("/incidents") },
      { href: "/dead-letters", label: "Dead letters", testId: "dead-letters", match: under("/dead-letters") },
      { href: "/traffic", label: "Traffic", testId: "traffic", match: under("/traffic") },
    ],
  },
  {
    id: "insight",
    label: "Insight",
    links: [
      { href: "/analytics", label: "Analytics", testId: "analytics", match: (p) => under("/analytics")(p) && !under("/analytics/errors")(p) },
      { href: "/analytics/errors", label: "Errors", testId: "errors", match: under("/analytics/errors") },
      { href: "/capacity", label: "Capacity", testId: "capacity", match: under("/capacity") },
      { href: "/reports", label: "Reports", testId: "reports", match: under("/reports") },
    ],
  },
  {
    id: "settings",
    label: "Settings",
    links: [
      { href: "/tokens", label: "Tokens", testId: "tokens", match: under("/tokens"), permission: "admin" },
      { href: "/users", label: "Users", testId: "users", match: under("/users"), permission: "admin" },
      { href: "/audit", label: "Audit log", testId: "audit", match: under("/audit"), permission: "admin" },
      { href: "/api", label: "API", testId: "api", match: under("/api") },
    ],
  },
];

/** The groups as one caller sees them: links they lack the permission for left out, empty groups too. */
export function visibleGroups(groups: readonly NavGroup[], allowed: (p: Permission) => boolean): NavGroup[] {
  return groups.map((g) => ({ ...g, links: g.links.filter((l) => !l.permission || allowed(l.permission)) })).filter((g) => g.links.length > 0);
}

/** The link for `pathname` and its group; the first match wins, so order the more specific link first. */
export function activeLink(groups: readonly NavGroup[], pathname: string): { group: NavGroup; link: NavLink } | null {
  for (const group of groups) for (const link of group.links) if (link.match(pathname)) return { group, link };
  return null;
}
