// Socket.IO /agents namespace, typed: the events agents and the server exchange. Payloads are
// the agent protocol's schemas (lib/protocol.ts) and messaging's (lib/messaging.ts); this module
// sits above both, so neither imports the other.
import type { z } from "zod";
import type { acceptSchema, Ack, AgentCardInput, Assignment, CancelNotice, completeSchema, failSchema, Heartbeat, progressSchema, Registered, releaseSchema } from "./protocol";
import type { MessageView, SendManyResult, SendMessageInput, SendResult } from "./messaging";


export interface AgentClientToServer {
  "agent:register": (card: AgentCardInput, ack: (r: Ack<Registered>) => void) => void;
  "agent:heartbeat": (hb: Heartbeat, ack: (r: Ack<{ cancel: CancelNotice[] }>) => void) => void;
  "task:accept": (r: z.input<typeof acceptSchema>, ack: (r: Ack) => void) => void;
  "task:progress": (r: z.input<typeof progressSchema>, ack: (r: Ack) => void) => void;
  "task:complete": (r: z.input<typeof completeSchema>, ack: (r: Ack) => void) => void;
  "task:fail": (r: z.input<typeof failSchema>, ack: (r: Ack) => void) => void;
  "task:release": (r: z.input<typeof releaseSchema>, ack: (r: Ack) => void) => void;
  /** The agent stops taking new work (SIGTERM); held tasks continue. */
  "agent:drain": (ack: (r: Ack) => void) => void;
  /** Send a message; acknowledged once it is stored for every recipient. */
  "message:send": (m: SendMessageInput, ack: (r: Ack<SendResult>) => void) => void;
  /**
   * Up to MESSAGE_LIMITS.batch messages at once, stored in one write and numbered in this order;
   * the answer has one slot per message (a bad message fails alone).
   */
  "message:sendMany": (m: { messages: SendMessageInput[] }, ack: (r: Ack<{ results: SendManyResult[] }>) => void) => void;
  /** Everything up to `upTo` in this agent's mailbox has been handled. */
  "message:ack": (a: { upTo: number }, ack: (r: Ack<{ acked: number }>) => void) => void;
}

export interface AgentServerToClient {
  "task:assigned": (a: Assignment) => void;
  "task:cancel": (c: CancelNotice) => void;
  /**
   * Messages of this agent's mailbox, in seq order (one or more per push); unacknowledged ones
   * come again after a reconnect.
   */
  "messages:received": (m: MessageView[]) => void;
}
