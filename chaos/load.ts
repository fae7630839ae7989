// The steady real work the chaos is done under, and the harness's record of it:
// - TaskLoad: real shell commands submitted over REST with idempotency keys; a submit that got
//   no answer (server down, connection reset, 429, 5xx) is repeated with the same key, so the
//   suite can check that a key never yields two tasks.
// - RunLoad: workflow runs of a small template, started now and then.
// - Messenger: two SDK agents; the sender sends unique bodies, the receiver counts how many
//   times each body reaches its handler (the SDK acks after the handler, so "exactly once" is
//   the product's promise seen from the application).
import { connectAgent, type Agent, type AgentLogger } from "@/agent/sdk";
import type { ApiClient } from "./http";
import type { SendState } from "./invariants";

export type TaskKind = "short" | "long" | "fail";

export interface Submission {
  key: string;
  kind: TaskKind;
  scenario: number;
  /** Task ids the server answered with (more than one would break idempotency). */
  ids: Set<string>;
  tries: number;
  outcome: "pending" | "accepted" | "refused" | "gave-up";
  lastError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Picks what the next task runs: mostly short, some long enough that a kill lands mid-run, a few that fail. */
export function taskSpec(kind: TaskKind, key: string, rnd: () => number, scope: { requires: string[]; labels: Record<string, string> }) {
  const base = { requires: scope.requires, labels: scope.labels, idempotencyKey: key };
  if (kind === "long") {
    const secs = (2 + rnd() * 2).toFixed(1);
    return { ...base, title: `chaos long ${key}`, command: `sleep ${secs}; echo long-ok`, retry: { maxAttempts: 5, backoffMs: 500 } };
  }
  if (kind === "fail") {
    // Fails on purpose: the retry path (attempt_failed → retry → failed) runs under chaos too.
    return { ...base, title: `chaos fail ${key}`, command: "echo failing on purpose >&2; exit 3", retry: { maxAttempts: 2, backoffMs: 200 } };
  }
  return { ...base, title: `chaos short ${key}`, command: "sleep 0.2; echo ok", retry: { maxAttempts: 5, backoffMs: 500 } };
}

export class TaskLoad {
  readonly submissions = new Map<string, Submission>();
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private seq = 0;
  private giveUpAt = Infinity;
  scenario = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly opts: { ratePerSec: number; prefix: string; requires: string[]; labels: Record<string, string>; rnd: () => number },
  ) {}

  /** Submits at the configured rate until pause(). */
  start() {
    this.giveUpAt = Infinity;
    if (this.timer) return;
    this.timer = setInterval(() => this.submitOne(), 1000 / this.opts.ratePerSec);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  submitOne(kind?: TaskKind): Submission {
    const r = this.opts.rnd();
    const k: TaskKind = kind ?? (r < 0.7 ? "short" : r < 0.9 ? "long" : "fail");
    const key = `${this.opts.prefix}${++this.seq}-${Math.floor(this.opts.rnd() * 1e9).toString(36)}`;
    const s: Submission = { key, kind: k, scenario: this.scenario, ids: new Set(), tries: 0, outcome: "pending" };
    this.submissions.set(key, s);
    const spec = taskSpec(k, key, this.opts.rnd, { requires: this.opts.requires, labels: this.opts.labels });
    const p = this.deliver(s, spec).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    return s;
  }

  /** Repeats the same submit (same key) until the server answers it, or we give up at the settle deadline. */
  private async deliver(s: Submission, spec: unknown) {
    while (Date.now() < this.giveUpAt) {
      s.tries++;
      const a = await this.api.post("/api/v1/tasks", spec, 5_000);
      if (a.status === 201 && a.json?.task?.id) {
        s.ids.add(a.json.task.id);
        s.outcome = "accepted";
        return;
      }
      s.lastError = a.status ? `${a.status} ${a.text.slice(0, 200)}` : (a.error ?? "no answer");
      if (a.status === 429) {
        await sleep(Math.min(2_000, 1000 * Number(a.headers?.["retry-after"] ?? 1)));
      } else if (a.status === 0 || a.status >= 500) {
        await sleep(300); // server down or restarting; the observer has recorded any 5xx
      } else {
        s.outcome = "refused"; // a 4xx for the harness's own valid payload: reported as a finding
        return;
      }
    }
    s.outcome = "gave-up";
  }

  /** Stops retrying at `deadline` and waits for every submit in flight. */
  async drain(deadline: number) {
    this.giveUpAt = deadline;
    await Promise.all([...this.inflight]);
  }

  /** key → the task ids the server answered with. */
  answers(): Map<string, Set<string>> {
    return new Map([...this.submissions].map(([k, s]) => [k, s.ids]));
  }
}

/** A small DAG of real shell steps; no parameter is interpolated into a command (see fuzz.ts: hostile params must not reach a shell). */
export const PIPELINE = (name: string, requires: string[], labels: Record<string, string>) => {
  const req = `[${requires.join(", ")}]`;
  const lab = `{ ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
  return `name: ${name}
description: chaos suite pipeline (prepare → 2 parallel work steps → finish)
failurePolicy: fail-fast
concurrency: 4
steps:
  - id: prepare
    requires: ${req}
    labels: ${lab}
    retry: { maxAttempts: 5, backoffMs: 500 }
    command: sleep 0.3; echo prepared
  - id: work
    parallel: 2
    dependsOn: [prepare]
    requires: ${req}
    labels: ${lab}
    retry: { maxAttempts: 5, backoffMs: 500 }
    command: sleep 1; echo worked
  - id: finish
    dependsOn: [work]
    requires: ${req}
    labels: ${lab}
    retry: { maxAttempts: 5, backoffMs: 500 }
    command: echo finished
`;
};

export class RunLoad {
  readonly started = new Set<string>();
  readonly problems: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly api: ApiClient,
    private readonly template: string,
    private readonly intervalMs: number,
  ) {}

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => this.startOne(), this.intervalMs);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private startOne() {
    const p = (async () => {
      // No retry without an answer: a run has no idempotency key, and one created but not
      // answered is still checked (every run this token triggered must finish).
      for (let i = 0; i < 5; i++) {
        const a = await this.api.post(`/api/v1/workflows/${this.template}/runs`, { params: {} }, 5_000);
        if (a.status === 201 && a.json?.run?.id) return void this.started.add(a.json.run.id);
        if (a.status !== 429) {
          if (a.status >= 400 && a.status < 500) this.problems.push(`run start refused: ${a.status} ${a.text.slice(0, 200)}`);
          return;
        }
        await sleep(1000);
      }
    })().finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  async drain() {
    await Promise.all([...this.inflight]);
  }
}

export class Messenger {
  sender!: Agent;
  receiver!: Agent;
  readonly sent = new Map<string, SendState>();
  readonly handled = new Map<string, number>();
  /** Messages to the receiver that the harness did not send (the fuzzer's): counted, not checked. */
  foreign = 0;
  readonly log: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly opts: { server: string; token: string; prefix: string; ratePerSec: number; senderName: string; receiverName: string; rnd: () => number },
  ) {}

  private logger(who: string): AgentLogger {
    const put = (level: string) => (m: string) => {
      this.log.push(`${new Date().toISOString()} ${who} ${level} ${m}`);
      if (this.log.length > 20_000) this.log.splice(0, 5_000);
    };
    return { info: put("info"), warn: put("warn") };
  }

  async connect() {
    // Both go through the proxy (opts.server), so cuts and freezes hit messaging too.
    this.receiver = await connectAgent({
      server: this.opts.server,
      token: this.opts.token,
      card: { name: this.opts.receiverName, slots: 1 },
      logger: this.logger("receiver"),
      onTask: () => null,
      onMessage: (m) => {
        if (!m.body.startsWith(this.opts.prefix)) return void this.foreign++;
        this.handled.set(m.body, (this.handled.get(m.body) ?? 0) + 1);
      },
    });
    this.sender = await connectAgent({
      server: this.opts.server,
      token: this.opts.token,
      card: { name: this.opts.senderName, slots: 1 },
      logger: this.logger("sender"),
      onTask: () => null,
    });
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => this.sendOne(), 1000 / this.opts.ratePerSec);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sendOne() {
    const body = `${this.opts.prefix}${++this.seq}-${Math.floor(this.opts.rnd() * 1e9).toString(36)}`;
    this.sent.set(body, { state: "pending" });
    const p = this.sender
      .send({ to: { agent: this.opts.receiverName }, body })
      .then(
        (r) => void this.sent.set(body, { state: "sent", messageId: r.messageId }),
        (e: Error) => void this.sent.set(body, { state: "failed", error: e.message }),
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  get pendingSends() {
    return this.pending.size;
  }

  /** Everything sent was either refused or handled (the settle condition for messages). */
  settled() {
    for (const [body, s] of this.sent) {
      if (s.state === "pending") return false;
      if (s.state === "sent" && !this.handled.has(body)) return false;
    }
    return true;
  }

  async close() {
    this.pause();
    await Promise.all([this.sender?.close({ flushTimeoutMs: 1000 }), this.receiver?.close({ flushTimeoutMs: 1000 })]);
  }
}
