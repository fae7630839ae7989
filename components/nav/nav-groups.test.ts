import { describe, expect, test } from "vitest";
import { can, type Actor } from "@/lib/policy";
import { activeLink, NAV_GROUPS, visibleGroups } from "./nav-groups";

const admin: Actor = { kind: "user", role: "admin" };
const viewer: Actor = { kind: "user", role: "viewer" };

describe("nav groups", () => {
  test("[NAV]: every page the dashboard has is in exactly one group, with a unique test id", () => {
    const links = NAV_GROUPS.flatMap((g) => g.links);
    expect(links.map((l) => l.href).sort()).toEqual(["/", "/alerts", "/analytics", "/analytics/errors", "/api", "/approvals", "/audit", "/capacity", "/dead-letters", "/incidents", "/messages", "/pools", "/reports", "/runs", "/tasks", "/tasks/new", "/tokens", "/traffic", "/users", "/workflows"]);
    expect(new Set(links.map((l) => l.testId)).size).toBe(links.length);
    expect(new Set(NAV_GROUPS.map((g) => g.id)).size).toBe(NAV_GROUPS.length);
  });

  test("[NAV]: a viewer sees no admin or submit links; Settings holds only the API reference", () => {
    const groups = visibleGroups(NAV_GROUPS, (p) => can(viewer, p));
    expect(groups.map((g) => g.id)).toEqual(["work", "fleet", "health", "insight", "settings"]);
    const ids = groups.flatMap((g) => g.links.map((l) => l.testId));
    expect(ids).not.toContain("submit");
    expect(ids).toContain("traffic");
    expect(groups.find((g) => g.id === "insight")!.links.map((l) => l.testId)).toEqual(["analytics", "errors", "capacity", "reports"]);
    expect(groups.find((g) => g.id === "settings")!.links.map((l) => l.testId)).toEqual(["api"]);
    expect(groups.find((g) => g.id === "fleet")!.links.map((l) => l.testId)).toEqual(["fleet", "pools", "channels"]);
    const all = visibleGroups(NAV_GROUPS, (p) => can(admin, p));
    expect(all.flatMap((g) => g.links).length).toBe(NAV_GROUPS.flatMap((g) => g.links).length);
  });

  test("[NAV]: a group left without links is dropped", () => {
    const groups = visibleGroups([{ id: "admin-only", label: "Admin", links: [{ href: "/x", label: "X", testId: "x", match: () => false, permission: "admin" }] }], (p) => can(viewer, p));
    expect(groups).toEqual([]);
  });

  test("[NAV]: the current page marks one link and its group", () => {
    const at = (p: string) => {
      const a = activeLink(NAV_GROUPS, p);
      return a && `${a.group.id}/${a.link.testId}`;
    };
    expect(at("/")).toBe("fleet/fleet");
    expect(at("/agents/a_1")).toBe("fleet/fleet");
    expect(at("/tasks")).toBe("work/tasks");
    expect(at("/tasks/t_1")).toBe("work/tasks");
    expect(at("/tasks/new")).toBe("work/submit");
    expect(at("/runs/run_1")).toBe("work/runs");
    expect(at("/dead-letters")).toBe("health/dead-letters");
    expect(at("/audit")).toBe("settings/audit");
    expect(at("/api")).toBe("settings/api");
    expect(at("/analytics")).toBe("insight/analytics");
    expect(at("/analytics/errors")).toBe("insight/errors");
    expect(at("/analytics/errorsx")).toBe("insight/analytics");
    expect(at("/capacity")).toBe("insight/capacity");
    expect(at("/reports")).toBe("insight/reports");
    expect(at("/pools")).toBe("fleet/pools");
    expect(at("/pools/builders")).toBe("fleet/pools");
    expect(at("/poolsx")).toBeNull();
    expect(at("/analyticsx")).toBeNull();
    expect(at("/tasksx")).toBeNull();
    expect(at("/login")).toBeNull();
  });
});
