import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acknowledge, groupNotices, labelsFingerprint, stepRule, type AlertInstance, type Notice, type RuleTiming, type Silence } from "./alert-state";
import { parseMatchers, type Matcher } from "@/lib/label-matchers";

const S = 1000;
const LABELS = { alertname: "AgentOffline", severity: "critical", agent: "b-3" };
const obs = (holds: boolean) => (holds ? [{ labels: LABELS, value: 1, summary: "agent b-3 offline" }] : []);

/** Runs a rule over (time, holds) evaluations; every notice and the instance after each. */
function simulate(rule: RuleTiming, evals: { at: number; holds: boolean }[], silences: Silence[] = [], roundTrip = false) {
  let state: AlertInstance[] = [];
  const notices: Notice[] = [];
  const phases: (string | null)[] = [];
  for (const e of evals) {
    const r = stepRule(rule, state, obs(e.holds), silences, e.at);
    // A restart between any two evaluations: the state is stored as JSON and read back.
    state = roundTrip ? JSON.parse(JSON.stringify(r.instances)) : r.instances;
    notices.push(...r.notices);
    phases.push(state.find((a) => a.fingerprint === labelsFingerprint(LABELS))?.phase ?? null);
  }
  return { notices, phases, state };
}

const ruleArb = fc.record({
  id: fc.constant("r1"),
  forMs: fc.integer({ min: 0, max: 120 }).map((n) => n * S),
  keepFiringForMs: fc.integer({ min: 0, max: 60 }).map((n) => n * S),
  repeatIntervalMs: fc.integer({ min: 30, max: 600 }).map((n) => n * S),
});
/** Evaluations 1–30 s apart, the condition flipping now and then. */
const evalsArb = fc.array(fc.record({ gap: fc.integer({ min: 1, max: 30 }), holds: fc.boolean() }), { minLength: 1, maxLength: 150 }).map((xs) => {
  let at = 1_000_000;
  return xs.map((x) => ({ at: (at += x.gap * S), holds: x.holds }));
});

describe("alert state machine", () => {
  it("never notifies before the condition has held continuously for `for`", () => {
    fc.assert(
      fc.property(ruleArb, evalsArb, (rule, evals) => {
        const { notices } = simulate(rule, evals);
        for (const n of notices.filter((x) => x.kind === "firing")) {
          expect(n.at - n.alert.activeAt).toBeGreaterThanOrEqual(rule.forMs);
          // Every evaluation from activeAt to the notice saw the condition hold.
          for (const e of evals) if (e.at >= n.alert.activeAt && e.at <= n.at) expect(e.holds).toBe(true);
        }
      }),
    );
  });

  it("sends one firing notice per episode and repeats no more often than the repeat interval", () => {
    fc.assert(
      fc.property(ruleArb, evalsArb, (rule, evals) => {
        const { notices } = simulate(rule, evals);
        const byEpisode = new Map<number, Notice[]>();
        for (const n of notices) byEpisode.set(n.alert.activeAt, [...(byEpisode.get(n.alert.activeAt) ?? []), n]);
        for (const list of byEpisode.values()) {
          expect(list.filter((n) => n.kind === "firing")).toHaveLength(1);
          expect(list.filter((n) => n.kind === "resolved").length).toBeLessThanOrEqual(1);
          const sends = list.filter((n) => n.kind !== "resolved");
          for (let i = 1; i < sends.length; i++) expect(sends[i].at - sends[i - 1].at).toBeGreaterThanOrEqual(rule.repeatIntervalMs);
          // A resolved notice is the last word of its episode and follows a firing one.
          const r = list.findIndex((n) => n.kind === "resolved");
          if (r >= 0) expect(r).toBe(list.length - 1);
        }
      }),
    );
  });

  it("resolves once the condition has not held for keep_firing_for, and fires again only through pending", () => {
    fc.assert(
      fc.property(ruleArb, evalsArb, (rule, evals) => {
        const { phases } = simulate(rule, evals);
        let lastTrue: number | null = null;
        evals.forEach((e, i) => {
          if (e.holds) lastTrue = e.at;
          else if (lastTrue != null && e.at - lastTrue >= rule.keepFiringForMs) expect(phases[i] === "firing").toBe(false);
          if (!e.holds) expect(phases[i] === "pending").toBe(false);
          if (phases[i] === "firing" && i > 0 && (phases[i - 1] === "resolved" || phases[i - 1] === null)) expect(rule.forMs).toBe(0);
        });
      }),
    );
  });

  it("sends nothing for a silenced alert while the silence lasts, and announces it when the silence ends", () => {
    fc.assert(
      fc.property(ruleArb, evalsArb, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 2000 }), (rule, evals, startS, lenS) => {
        const startsAt = evals[0].at + startS * S;
        const silence: Silence = { id: "s1", matchers: parseMatchers('agent="b-3"') as Matcher[], startsAt, endsAt: startsAt + lenS * S };
        const { notices, phases } = simulate(rule, evals, [silence]);
        for (const n of notices) expect(n.at >= silence.startsAt && n.at < silence.endsAt).toBe(false);
        // Firing after the silence ended without a notice in its episode yet: announced at that evaluation.
        evals.forEach((e, i) => {
          if (phases[i] === "firing" && e.at >= silence.endsAt) expect(notices.some((n) => n.kind === "firing" && n.at <= e.at && n.alert.activeAt <= e.at)).toBe(true);
        });
      }),
    );
  });

  it("sends nothing twice across a restart (the state, stored and reloaded, says what was sent)", () => {
    fc.assert(
      fc.property(ruleArb, evalsArb, (rule, evals) => {
        const straight = simulate(rule, evals).notices.map((n) => [n.kind, n.at]);
        const restarted = simulate(rule, evals, [], true).notices.map((n) => [n.kind, n.at]);
        expect(restarted).toEqual(straight);
      }),
    );
  });

  it("fires after `for`, repeats, stops repeating once acknowledged, and resolves after keep_firing_for", () => {
    const rule: RuleTiming = { id: "r1", forMs: 60 * S, keepFiringForMs: 30 * S, repeatIntervalMs: 300 * S };
    const t0 = 1_000_000;
    let state: AlertInstance[] = [];
    const at = (s: number, holds: boolean) => {
      const r = stepRule(rule, state, obs(holds), [], t0 + s * S);
      state = r.instances;
      return r;
    };
    expect(at(0, true).transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["inactive→pending"]);
    expect(at(30, true).notices).toEqual([]);
    const fired = at(60, true);
    expect(fired.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["pending→firing"]);
    expect(fired.notices.map((n) => n.kind)).toEqual(["firing"]);
    expect(at(359, true).notices).toEqual([]);
    expect(at(360, true).notices.map((n) => n.kind)).toEqual(["repeat"]);
    const acked = acknowledge(state[0], { by: "alice", at: t0 + 361 * S, comment: "on it" });
    if (typeof acked === "string") throw new Error(acked);
    state = [acked];
    expect(at(700, true).notices).toEqual([]);
    expect(at(710, false).transitions).toEqual([]); // keep firing for 30 s
    const resolved = at(740, false);
    expect(resolved.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["firing→resolved"]);
    expect(resolved.notices.map((n) => n.kind)).toEqual(["resolved"]);
    expect(acknowledge(state[0], { by: "a", at: 0, comment: "" })).toMatch(/resolved, not firing/);
    // A new episode starts over: pending, not acknowledged.
    const again = at(800, true);
    expect(again.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["resolved→pending"]);
    expect(state[0].acknowledged).toBeNull();
  });

  it("drops a pending alert silently when the condition stops holding", () => {
    const rule: RuleTiming = { id: "r1", forMs: 60 * S, keepFiringForMs: 0, repeatIntervalMs: 300 * S };
    const first = stepRule(rule, [], obs(true), [], 0);
    const second = stepRule(rule, first.instances, obs(false), [], 10 * S);
    expect(second.instances).toEqual([]);
    expect(second.notices).toEqual([]);
    expect(second.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["pending→inactive"]);
  });

  it("identifies an instance by its labels in any order, and groups notices by rule and labels", () => {
    expect(labelsFingerprint({ a: "1", b: "2" })).toBe(labelsFingerprint({ b: "2", a: "1" }));
    expect(labelsFingerprint({ a: "1" })).not.toBe(labelsFingerprint({ a: "2" }));
    const rule: RuleTiming = { id: "offline", forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 1 };
    const r = stepRule(rule, [], ["b-1", "b-2", "c-1"].map((agent) => ({ labels: { alertname: "AgentOffline", agent, team: agent[0] }, value: 1, summary: agent })), [], 0);
    expect(r.notices).toHaveLength(3);
    expect(groupNotices(r.notices, []).map((g) => g.notices.length)).toEqual([3]);
    expect(groupNotices(r.notices, ["team"]).map((g) => g.notices.length).sort()).toEqual([1, 2]);
  });
});
