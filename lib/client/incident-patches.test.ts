import { describe, expect, it } from "vitest";
import type { IncidentView } from "@/lib/api";
import { bumpIncidentCounts, INCIDENT_KINDS, prependIncidents, type IncidentCounts, type IncidentPage } from "./incident-patches";

const incident = (id: number, at: number, over: Partial<IncidentView> = {}): IncidentView => ({
  id,
  at,
  kind: "agent_lost",
  agentId: "a-1",
  agentName: "worker-1",
  taskId: null,
  message: `worker-1 is offline: ${at}`,
  ...over,
});

const pages = (...p: IncidentPage[]) => ({ pages: p, pageParams: p.map((_, i) => (i === 0 ? null : 100 - i)) });

describe("[dashboard cache]: incidents", () => {
  it("puts pushed incidents on top of the first page, newest first, and leaves later pages alone", () => {
    const second: IncidentPage = { items: [incident(1, 100)], nextCursor: null };
    const data = pages({ items: [incident(3, 300), incident(2, 200)], nextCursor: 2 }, second);
    const next = prependIncidents(data, [incident(-1, 400), incident(-2, 500)]);
    expect(next.pages[0].items.map((i) => i.at)).toEqual([500, 400, 300, 200]);
    expect(next.pages[1]).toBe(second);
  });

  it("skips incidents already held (a fetch and a push of the same one) and those outside the kind filter", () => {
    const data = pages({ items: [incident(7, 300)], nextCursor: null });
    expect(prependIncidents(data, [incident(-1, 300)])).toBe(data);
    expect(prependIncidents(data, [incident(-2, 400, { kind: "task_dead" })], "agent_lost")).toBe(data);
    const next = prependIncidents(data, [incident(-3, 400, { kind: "task_dead" }), incident(-4, 400, { kind: "task_dead" })], "task_dead");
    expect(next.pages[0].items.map((i) => i.id)).toEqual([-3, 7]);
  });

  it("bumps counts per kind and returns the same object for nothing", () => {
    const counts = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, 0])) as IncidentCounts;
    expect(bumpIncidentCounts(counts, [])).toBe(counts);
    const next = bumpIncidentCounts(counts, [incident(0, 1), incident(0, 2), incident(0, 3, { kind: "task_retried" })]);
    expect(next.agent_lost).toBe(2);
    expect(next.task_retried).toBe(1);
    expect(counts.agent_lost).toBe(0);
  });
});
