// Durable mailboxes. A send resolves its address to recipients, gives each the next seq of its
// mailbox, and rides on the coordinator's next batch: the sender's ack waits until message and
// deliveries are stored. Recipients get messages pushed in seq order and keep them until they
// acknowledge cumulatively; whatever is unacknowledged is pushed again after a reconnect.
import { EventEmitter } from "node:events";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { AgentState } from "@/server/core/scheduler";
import { levelOf } from "@/server/core/matching";
import type { Clock } from "@/server/core/clock";
import { AppError, describeZodError } from "@/server/errors";
import { newId } from "@/server/ids";
import type { DeliveryRow, MessageRepository, MessageRow, WriteBatch } from "@/server/store/ports";
import type { ConversationMessage, MessageView, SendMessage, SendResult } from "@/lib/messaging";
import { MESSAGE_LIMITS, sendMessageSchema } from "@/lib/messaging";

interface Mailbox {
  lastSeq: number;
  ackedUpTo: number;
  /** Unacknowledged, in seq order. */
  pending: MessageView[];
}

export interface MessageEvents {
  /** Deliver these to their agents (already durable). */
  delivered: [{ agentId: string; message: MessageView }[]];
  /** A message was stored: who sent it, who got it (for the dashboard's conversations). */
  sent: [{ message: ConversationMessage; fromAgentId: string | null; recipientIds: string[]; channel: string | null }];
}

export type Sender = { agentId: string } | { operator: string };

const KEY_TTL_MS = 3_600_000;
const MAX_KEYS = 200_000;

interface Staged {
  /** Null for a repeat of an earlier send (same idempotency key): nothing new is stored. */
  row: MessageRow | null;
  repeat: boolean;
  deliveries: { agentId: string; message: MessageView }[];
  channel: string | null;
  result: SendResult;
}

function viewOf(m: MessageRow, seq: number): MessageView {
  return {
    id: m.id,
    seq,
    from: { agentId: m.fromAgentId, name: m.fromName },
    to: { kind: m.toKind as MessageView["to"]["kind"], value: m.toValue },
    threadId: m.threadId,
    replyTo: m.replyTo,
    importance: m.importance as MessageView["importance"],
    body: m.body,
    data: m.data ?? null,
    createdAt: m.createdAt,
  };
}

export class MessageService {
  readonly bus = new EventEmitter<MessageEvents>();
  private boxes = new Map<string, Mailbox>();
  /** Message id → thread id, for replies (recent messages; older ones start a new thread). */
  private threads = new Map<string, string>();
  private rows: Required<Pick<WriteBatch, "messages" | "deliveries" | "acks">> = { messages: [], deliveries: [], acks: [] };
  private waiters = new Map<string, Set<() => void>>();
  /** (sender, idempotency key) → the first send's answer, for an hour (bounded). */
  private keys = new Map<string, { result: SendResult; at: number }>();

  constructor(private readonly deps: { coordinator: Coordinator; clock: Clock; store: MessageRepository }) {
    deps.coordinator.addBatchSource({
      drain: () => {
        const r = this.rows;
        this.rows = { messages: [], deliveries: [], acks: [] };
        return r;
      },
    });
  }

  async start() {
    for (const k of await this.deps.store.recentKeys(this.deps.clock.now() - KEY_TTL_MS)) {
      const recipients = k.recipientIds.map((id) => this.agent(id)?.name ?? id);
      this.keys.set(`${k.sender}\u0000${k.key}`, { result: { messageId: k.messageId, threadId: k.threadId, recipients }, at: this.deps.clock.now() });
    }
    const { lastSeq, unacked } = await this.deps.store.mailboxes();
    for (const [agentId, seq] of lastSeq) this.box(agentId).lastSeq = seq;
    for (const u of unacked) {
      this.box(u.agentId).pending.push(viewOf(u.message, u.seq));
      this.remember(u.message.id, u.message.threadId);
    }
    for (const b of this.boxes.values()) b.ackedUpTo = b.pending.length ? b.pending[0].seq - 1 : b.lastSeq;
  }

  private box(agentId: string): Mailbox {
    let b = this.boxes.get(agentId);
    if (!b) this.boxes.set(agentId, (b = { lastSeq: 0, ackedUpTo: 0, pending: [] }));
    return b;
  }

  private agent(id: string) {
    return this.deps.coordinator.agent(id);
  }

  private findAgent(nameOrId: string): Readonly<AgentState> | undefined {
    return this.deps.coordinator.agentNamed(nameOrId);
  }

  /** Who gets a message sent to `to` by `from` (never the sender itself, except a direct message to oneself). */
  private recipients(input: SendMessage, fromAgentId: string | null): { kind: MessageView["to"]["kind"]; value: string; agents: AgentState[] } {
    const to = input.to;
    const all = this.deps.coordinator.agentList();
    if ("agent" in to) {
      const a = this.findAgent(to.agent);
      if (!a) throw new AppError("NOT_FOUND", `No agent named or with id "${to.agent}".`);
      return { kind: "agent", value: a.name, agents: [a] };
    }
    if ("broadcast" in to) return { kind: "broadcast", value: "*", agents: all.filter((a) => a.id !== fromAgentId) };
    if ("channel" in to) return { kind: "channel", value: to.channel, agents: all.filter((a) => a.id !== fromAgentId && a.channels.includes(to.channel)) };
    // Anycast: one agent with the capability; connected ones first, then the emptiest mailbox.
    const able = all.filter((a) => a.id !== fromAgentId && levelOf(a, to.capability) >= to.level);
    if (able.length === 0) throw new AppError("NOT_FOUND", `No agent has capability ${to.capability} at level ${to.level} or higher.`);
    const unread = (a: AgentState) => this.boxes.get(a.id)?.pending.length ?? 0;
    able.sort((x, y) => Number(y.connected) - Number(x.connected) || unread(x) - unread(y) || x.order - y.order);
    return { kind: "capability", value: `${to.capability}:${to.level}`, agents: [able[0]] };
  }

  async send(from: Sender, input: SendMessage): Promise<SendResult> {
    const staged = this.stage(from, input);
    await this.deps.coordinator.commit();
    if (!staged.repeat) this.publish([staged]);
    return staged.result;
  }

  /**
   * Sends several messages with one write: each is validated and addressed on its own (one bad
   * message fails alone, with its error in its slot), and all the good ones are stored together
   * before any is acknowledged. Their seqs follow the order given.
   */
  async sendMany(from: Sender, inputs: unknown[]): Promise<Array<{ ok: true; data: SendResult } | { ok: false; error: { code: string; message: string } }>> {
    const staged = inputs.map((raw) => {
      try {
        const parsed = sendMessageSchema.safeParse(raw);
        if (!parsed.success) throw new AppError("BAD_REQUEST", `Invalid message: ${describeZodError(parsed.error.issues)}.`);
        return this.stage(from, parsed.data);
      } catch (e) {
        if (e instanceof AppError) return e;
        throw e;
      }
    });
    const good = staged.filter((s): s is Staged => !(s instanceof AppError));
    if (good.length) {
      await this.deps.coordinator.commit();
      this.publish(good.filter((s) => !s.repeat));
    }
    return staged.map((s) => (s instanceof AppError ? { ok: false as const, error: { code: s.code, message: s.message } } : { ok: true as const, data: s.result }));
  }

  /** Addresses a message and queues its rows for the next write; nothing is sent until it is durable. */
  private stage(from: Sender, input: SendMessage): Staged {
    const fromAgent = "agentId" in from ? this.agent(from.agentId) : undefined;
    if ("agentId" in from && !fromAgent) throw new AppError("NOT_FOUND", `Agent ${from.agentId} is not registered.`);
    const keyId = input.key ? `${"agentId" in from ? from.agentId : `operator:${from.operator}`}\u0000${input.key}` : null;
    const seen = keyId ? this.keys.get(keyId) : undefined;
    if (seen) return { row: null, deliveries: [], channel: null, result: seen.result, repeat: true };
    const { kind, value, agents } = this.recipients(input, fromAgent?.id ?? null);
    const id = newId("msg");
    const threadId = input.replyTo ? (this.threads.get(input.replyTo) ?? input.replyTo) : id;
    const now = this.deps.clock.now();
    const row: MessageRow = {
      id,
      fromAgentId: fromAgent?.id ?? null,
      fromName: fromAgent?.name ?? ("operator" in from ? from.operator : "unknown"),
      toKind: kind,
      toValue: value,
      threadId,
      replyTo: input.replyTo ?? null,
      importance: input.importance,
      body: input.body,
      data: input.data ?? null,
      createdAt: now,
      clientKey: input.key ?? null,
    };
    this.remember(id, threadId);
    this.rows.messages.push(row);
    const deliveries: { agentId: string; message: MessageView }[] = [];
    for (const a of agents) {
      const b = this.box(a.id);
      const seq = ++b.lastSeq;
      const delivery: DeliveryRow = { agentId: a.id, seq, messageId: id, createdAt: now };
      this.rows.deliveries.push(delivery);
      const view = viewOf(row, seq);
      b.pending.push(view);
      deliveries.push({ agentId: a.id, message: view });
    }
    const result = { messageId: id, threadId, recipients: agents.map((a) => a.name) };
    if (keyId) this.rememberKey(keyId, result);
    return { row, deliveries, channel: kind === "channel" ? value : null, result, repeat: false };
  }

  /** After the write: push to the recipients, wake HTTP recipients waiting on their inbox, tell the dashboard. */
  private publish(staged: Staged[]) {
    const delivered = staged.flatMap((s) => s.deliveries);
    this.bus.emit("delivered", delivered);
    for (const agentId of new Set(delivered.map((d) => d.agentId))) this.wake(agentId);
    for (const s of staged) {
      if (!s.row) continue;
      const { seq: _seq, ...plain } = viewOf(s.row, 0);
      const recipientIds = s.deliveries.map((d) => d.agentId);
      this.bus.emit("sent", { message: { ...plain, recipients: recipientIds.length }, fromAgentId: s.row.fromAgentId, recipientIds, channel: s.channel });
    }
  }

  private rememberKey(keyId: string, result: SendResult) {
    const now = this.deps.clock.now();
    this.keys.set(keyId, { result, at: now });
    // Oldest first: drop what is past its hour, and keep the map bounded.
    for (const [k, v] of this.keys) {
      if (now - v.at <= KEY_TTL_MS && this.keys.size <= MAX_KEYS) break;
      this.keys.delete(k);
    }
  }

  private remember(id: string, threadId: string) {
    this.threads.set(id, threadId);
    if (this.threads.size > 100_000) this.threads.delete(this.threads.keys().next().value!);
  }

  /** Cumulative ack; returns how many messages it acknowledged (0 when already acked). */
  async ack(agentId: string, upTo: number): Promise<number> {
    const b = this.box(agentId);
    if (upTo > b.lastSeq) throw new AppError("BAD_REQUEST", `Cannot acknowledge up to ${upTo}: the mailbox's last message is ${b.lastSeq}.`);
    if (upTo <= b.ackedUpTo) return 0;
    const before = b.pending.length;
    b.pending = b.pending.filter((m) => m.seq > upTo);
    b.ackedUpTo = upTo;
    this.rows.acks.push({ agentId, upTo, at: this.deps.clock.now() });
    await this.deps.coordinator.commit();
    return before - b.pending.length;
  }

  /** Unacknowledged messages after `after`, oldest first. */
  unread(agentId: string, after = 0, limit: number = MESSAGE_LIMITS.redeliverBatch): MessageView[] {
    const b = this.boxes.get(agentId);
    if (!b) return [];
    const out: MessageView[] = [];
    for (const m of b.pending) {
      if (m.seq <= after) continue;
      out.push(m);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** HTTP long-poll: unread messages after `after`, waiting up to `waitMs` for one to arrive. */
  async inbox(agentId: string, after: number, limit: number, waitMs: number): Promise<MessageView[]> {
    const now = this.unread(agentId, after, limit);
    if (now.length || waitMs <= 0) return now;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(agentId) ?? new Set();
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      set.add(done);
      this.waiters.set(agentId, set);
    });
    return this.unread(agentId, after, limit);
  }

  private wake(agentId: string) {
    for (const w of this.waiters.get(agentId) ?? []) w();
  }

  /** The conversation of an agent (sent and received) or of a channel, oldest first. */
  async conversation(q: { agentId?: string; channel?: string; limit: number }): Promise<ConversationMessage[]> {
    const rows = await this.deps.store.conversation(q);
    return rows.map((r) => {
      const { seq: _seq, ...plain } = viewOf(r, 0);
      return { ...plain, recipients: r.recipients };
    });
  }

  /** Recent messages to or from an agent for status pages: its unread mailbox. */
  pendingCount(agentId: string): number {
    return this.boxes.get(agentId)?.pending.length ?? 0;
  }
}
