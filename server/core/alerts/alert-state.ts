// The life of an alert, as Prometheus and Alertmanager define it. A rule's condition, evaluated
// now, yields the series where it holds (one per offline agent, per slow capability …). Each
// series is an alert instance, identified by the fingerprint of its labels:
//
//   inactive → pending (the condition holds) → firing (it has held for `for`)
//            → resolved (it has not held for `keep_firing_for`)
//
// A pending instance whose condition stops holding goes back to inactive without a word. A
// firing instance is notified once, then again every `repeat interval` while it fires — unless
// it is acknowledged (no repeats until it resolves) or silenced (nothing while the silence
// lasts; a firing instance still unannounced when the silence ends is announced then). A
// resolved notice follows only a firing one that was sent. What was sent is part of the state,
// so a restarted server that reloads it sends nothing twice. Pure: the caller brings the clock.
import { createHash } from "node:crypto";
import { matchesAll, type Labels, type Matcher } from "@/lib/label-matchers";

export type Severity = "info" | "warning" | "critical";
export type Phase = "pending" | "firing" | "resolved";

export interface RuleTiming {
  id: string;
  /** Pending this long before firing (0: fires at once). */
  forMs: number;
  /** Keeps firing this long after the condition stops holding (flapping protection). */
  keepFiringForMs: number;
  /** A firing, unacknowledged alert is notified again this often. */
  repeatIntervalMs: number;
}

/** A series where the rule's condition holds now. */
export interface Observation {
  /** The instance's labels: the rule's, alertname and severity included. */
  labels: Labels;
  value: number | null;
  /** One sentence with the evidence: "agent b-3 offline for 4 min (connection lost)". */
  summary: string;
}

export interface Acknowledgement {
  by: string;
  at: number;
  comment: string;
}

export interface AlertInstance {
  fingerprint: string;
  ruleId: string;
  labels: Labels;
  phase: Phase;
  /** When the condition started holding, in this episode. */
  activeAt: number;
  firingAt: number | null;
  /** The last evaluation at which the condition held. */
  lastTrueAt: number;
  resolvedAt: number | null;
  value: number | null;
  summary: string;
  /** What the channels were last told about this episode, and when. */
  notified: "firing" | "resolved" | null;
  lastNotifiedAt: number | null;
  acknowledged: Acknowledgement | null;
}

export interface Transition {
  fingerprint: string;
  ruleId: string;
  labels: Labels;
  from: Phase | "inactive";
  to: Phase | "inactive";
  at: number;
  value: number | null;
  summary: string;
}

export interface Notice {
  kind: "firing" | "repeat" | "resolved";
  at: number;
  alert: AlertInstance;
}

export interface Silence {
  id: string;
  matchers: readonly Matcher[];
  startsAt: number;
  endsAt: number;
}

export const silenceActive = (s: Silence, now: number) => s.startsAt <= now && now < s.endsAt;

/** The silences that cover these labels now. */
export const silencing = (labels: Labels, silences: readonly Silence[], now: number) => silences.filter((s) => silenceActive(s, now) && matchesAll(s.matchers, labels));

/** Stable under label order: the identity of an alert instance. */
export function labelsFingerprint(labels: Labels): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join("\u0001");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Resolved instances are kept this long for the page, then forgotten (their history stays). */
export const RESOLVED_KEPT_MS = 60 * 60_000;

export interface StepResult {
  /** The rule's instances after this evaluation (resolved ones until RESOLVED_KEPT_MS). */
  instances: AlertInstance[];
  transitions: Transition[];
  notices: Notice[];
}

/** One evaluation of one rule at `now`: the instances it had, and where its condition holds now. */
export function stepRule(rule: RuleTiming, before: readonly AlertInstance[], observations: readonly Observation[], silences: readonly Silence[], now: number): StepResult {
  const transitions: Transition[] = [];
  const notices: Notice[] = [];
  const byFp = new Map(before.map((a) => [a.fingerprint, { ...a }]));
  const seen = new Set<string>();
  const move = (a: AlertInstance, to: Phase | "inactive") => {
    transitions.push({ fingerprint: a.fingerprint, ruleId: a.ruleId, labels: a.labels, from: a.phase, to, at: now, value: a.value, summary: a.summary });
  };

  for (const o of observations) {
    const fingerprint = labelsFingerprint(o.labels);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    let a = byFp.get(fingerprint);
    if (!a || a.phase === "resolved") {
      a = { fingerprint, ruleId: rule.id, labels: o.labels, phase: "pending", activeAt: now, firingAt: null, lastTrueAt: now, resolvedAt: null, value: o.value, summary: o.summary, notified: null, lastNotifiedAt: null, acknowledged: null };
      transitions.push({ fingerprint, ruleId: rule.id, labels: o.labels, from: byFp.has(fingerprint) ? "resolved" : "inactive", to: "pending", at: now, value: o.value, summary: o.summary });
      byFp.set(fingerprint, a);
    }
    a.lastTrueAt = now;
    a.value = o.value;
    a.summary = o.summary;
    if (a.phase === "pending" && now - a.activeAt >= rule.forMs) {
      move(a, "firing");
      a.phase = "firing";
      a.firingAt = now;
    }
  }

  const out: AlertInstance[] = [];
  for (const a of byFp.values()) {
    if (!seen.has(a.fingerprint)) {
      if (a.phase === "pending") {
        move(a, "inactive");
        continue;
      }
      if (a.phase === "firing" && now - a.lastTrueAt >= rule.keepFiringForMs) {
        move(a, "resolved");
        a.phase = "resolved";
        a.resolvedAt = now;
      }
      if (a.phase === "resolved" && a.resolvedAt != null && now - a.resolvedAt >= RESOLVED_KEPT_MS) continue;
    }
    const silenced = silencing(a.labels, silences, now).length > 0;
    if (!silenced) {
      if (a.phase === "firing") {
        if (a.notified !== "firing") notices.push({ kind: "firing", at: now, alert: a });
        else if (!a.acknowledged && a.lastNotifiedAt != null && now - a.lastNotifiedAt >= rule.repeatIntervalMs) notices.push({ kind: "repeat", at: now, alert: a });
      } else if (a.phase === "resolved" && a.notified === "firing") notices.push({ kind: "resolved", at: now, alert: a });
    }
    out.push(a);
  }
  for (const n of notices) {
    n.alert.notified = n.kind === "resolved" ? "resolved" : "firing";
    n.alert.lastNotifiedAt = now;
  }
  // Notices carry a snapshot: the instance goes on changing.
  return { instances: out, transitions, notices: notices.map((n) => ({ ...n, alert: { ...n.alert } })) };
}

/** Acknowledges a firing instance: no repeats until it resolves. */
export function acknowledge(a: AlertInstance, ack: Acknowledgement): AlertInstance | string {
  if (a.phase !== "firing") return `alert ${a.fingerprint} is ${a.phase}, not firing: only a firing alert can be acknowledged`;
  return { ...a, acknowledged: ack };
}

/**
 * Notices batched as Alertmanager groups them: by rule and the values of `groupBy` labels, so
 * ten agents going offline at once make one message with ten alerts, not ten messages.
 */
export function groupNotices(notices: readonly Notice[], groupBy: readonly string[]): { key: string; ruleId: string; notices: Notice[] }[] {
  const groups = new Map<string, { key: string; ruleId: string; notices: Notice[] }>();
  for (const n of notices) {
    const key = [n.alert.ruleId, ...groupBy.map((l) => `${l}=${n.alert.labels[l] ?? ""}`)].join("|");
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, ruleId: n.alert.ruleId, notices: [] }));
    g.notices.push(n);
  }
  return [...groups.values()];
}
