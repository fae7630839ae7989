import { describe, expect, it } from "vitest";
import type { ErrorOccurrenceRow } from "@/server/store/ports";
import { ErrorBook, likelyCauses, trendOf, type FailureFact } from "./errors";

const T0 = Date.UTC(2026, 10, 30, 9, 0);
const fact = (over: Partial<FailureFact> = {}): FailureFact => ({
  taskId: "t1",
  attempt: 1,
  at: T0,
  error: "exit code 1: connection to 10.0.0.7:5432 refused after 1503 ms",
  lastLines: [],
  agentId: "id-b1",
  agentName: "b-1",
  agentVersion: "1.2.0",
  capability: "test",
  template: null,
  labels: ["region=eu"],
  cpuPct: 20,
  memPct: 30,
  ...over,
});
const occ = (over: Partial<ErrorOccurrenceRow> = {}): ErrorOccurrenceRow => ({ groupId: "g", taskId: "t", attempt: 1, at: T0, agentId: "a", agentName: "b-1", agentVersion: "1.2.0", capability: "test", template: null, labels: [], cpuPct: 10, memPct: 10, message: "x", ...over });

describe("[ERRORS] error groups", () => {
  it("groups failures that differ only in numbers and addresses; a different error is a new group", () => {
    const book = new ErrorBook([]);
    const a = book.observe(fact());
    const b = book.observe(fact({ at: T0 + 1, error: "exit code 1: connection to 10.0.0.9:5432 refused after 88 ms" }));
    const c = book.observe(fact({ at: T0 + 2, error: "exit code 2: missing header sqlite3.h" }));
    expect(a.occurrence.groupId).toBe(b.occurrence.groupId);
    expect(c.occurrence.groupId).not.toBe(a.occurrence.groupId);
    expect(a.events.map((e) => e.kind)).toEqual(["error_group_new"]);
    expect(b.events).toEqual([]);
    expect(book.get(a.occurrence.groupId)!.count).toBe(2);
    expect(book.drainChanged().map((g) => g.id).sort()).toEqual([a.occurrence.groupId, c.occurrence.groupId].sort());
    expect(book.drainChanged()).toEqual([]);
  });

  it("flags a resolved group that comes back; an ignored one stays quiet", () => {
    const book = new ErrorBook([]);
    const id = book.observe(fact()).occurrence.groupId;
    book.setStatus(id, "resolved", "alice", T0 + 10);
    const back = book.observe(fact({ at: T0 + 20 }));
    expect(back.events.map((e) => e.kind)).toEqual(["error_group_reopened"]);
    expect(book.get(id)!.status).toBe("open");
    expect(book.get(id)!.reopenedAt).toBe(T0 + 20);
    book.setStatus(id, "ignored", "alice", T0 + 30);
    expect(book.observe(fact({ at: T0 + 40 })).events).toEqual([]);
    expect(book.get(id)!.status).toBe("ignored");
  });

  it("reports a spike once: many failures in ten minutes against a quiet baseline", () => {
    const book = new ErrorBook([]);
    // A quiet hour: one failure per ten minutes.
    for (let i = 0; i < 6; i++) book.observe(fact({ at: T0 + i * 600_000 }));
    const spikeAt = T0 + 6 * 600_000;
    const kinds: string[] = [];
    for (let i = 0; i < 15; i++) kinds.push(...book.observe(fact({ at: spikeAt + i * 1_000 })).events.map((e) => e.kind));
    expect(kinds).toEqual(["error_group_spike"]);
  });

  it("keeps the groups it was given, with their status", () => {
    const first = new ErrorBook([]);
    const id = first.observe(fact()).occurrence.groupId;
    first.setStatus(id, "resolved", "bob", T0 + 5);
    const again = new ErrorBook(first.drainChanged());
    expect(again.observe(fact({ at: T0 + 9 })).events.map((e) => e.kind)).toEqual(["error_group_reopened"]);
  });
});

describe("[ERRORS] likely causes", () => {
  it("points at one agent when it has ≥ 80 % of the failures but not of the work", () => {
    const list = [...Array.from({ length: 9 }, () => occ({ agentName: "b-3" })), occ({ agentName: "b-1" })];
    const s = likelyCauses(list, T0, { agentShare: new Map([["b-3", 0.3], ["b-1", 0.7]]) });
    expect(s.map((x) => x.message)).toContain("90 % on agent b-3 (it runs 30 % of that work)");
    // The only agent that does this work: no signal.
    expect(likelyCauses(list, T0, { agentShare: new Map([["b-3", 0.95]]) }).filter((x) => x.kind === "concentrated" && x.message.includes("agent b-3"))).toEqual([]);
  });

  it("points at a version only when the fleet runs several", () => {
    const list = Array.from({ length: 5 }, (_, i) => occ({ agentName: `b-${i}`, agentVersion: "1.4.0" }));
    expect(likelyCauses(list, T0, { versionShare: new Map([["1.4.0", 0.2], ["1.3.2", 0.8]]) }).map((x) => x.message)).toContain("100 % on agent version 1.4.0");
    expect(likelyCauses(list, T0, { versionShare: new Map([["1.4.0", 1]]) }).some((x) => x.message.includes("version"))).toBe(false);
  });

  it("sees a group that began right after an upgrade or a new template version", () => {
    const list = Array.from({ length: 4 }, () => occ({ agentName: "tester-2", template: "deploy@3" }));
    const s = likelyCauses(list, T0 + 5 * 60_000, {
      agentShare: new Map([["tester-2", 0.9]]),
      agentVersionChanges: [{ agentName: "tester-2", from: "1.3.2", to: "1.4.0", at: T0 }],
      templateVersions: [
        { template: "deploy@2", createdAt: T0 - 86_400_000 },
        { template: "deploy@3", createdAt: T0 + 60_000 },
      ],
    });
    expect(s.map((x) => x.message)).toEqual(expect.arrayContaining(["began 5 min after tester-2 changed version 1.3.2 → 1.4.0", "began 4 min after deploy@3 was published", "100 % in template deploy@3"]));
    // Long after the change: no "began after".
    expect(likelyCauses(list, T0 + 5 * 3_600_000, { agentVersionChanges: [{ agentName: "tester-2", from: "1", to: "2", at: T0 }] }).some((x) => x.kind === "after_change")).toBe(false);
  });

  it("sees failures that come with high CPU or memory", () => {
    const hot = [occ({ memPct: 97 }), occ({ memPct: 95 }), occ({ memPct: 99 }), occ({ memPct: 40 })];
    expect(likelyCauses(hot, T0).find((x) => x.kind === "high_resources")?.message).toBe("75 % came with memory ≥ 90 % on the agent");
    expect(likelyCauses(hot.map((o) => ({ ...o, memPct: 50 })), T0).some((x) => x.kind === "high_resources")).toBe(false);
  });

  it("says nothing about too few occurrences", () => {
    expect(likelyCauses([occ(), occ()], T0)).toEqual([]);
  });

  it("counts occurrences per slot for the trend", () => {
    expect(trendOf([{ at: T0 }, { at: T0 + 1 }, { at: T0 + 3_600_000 }, { at: T0 + 7_200_000 }], T0, T0 + 7_200_000, 2)).toEqual([2, 1]);
  });
});
