// Agent-to-agent messaging: addresses, the send schema and the message as delivered. Shared by
// the server, the SDK, the CLI and the dashboard.
//
// Delivery model: every message is stored before the sender's ack. Each recipient has its own
// mailbox with a gap-free sequence number (1, 2, 3 …); messages are pushed in that order and
// stay unread until the recipient acknowledges them, cumulatively ("everything up to seq N").
// After a reconnect the unacknowledged ones are delivered again, in order, so a recipient that
// remembers the last seq it handled sees each message exactly once.
import { z } from "zod";
import { identifier, jsonBytes } from "./protocol";
import { importanceSchema } from "./api/enums";

export { importanceSchema, type Importance } from "./api/enums";

export const MESSAGE_LIMITS = {
  bodyBytes: 64 * 1024,
  dataBytes: 64 * 1024,
  /** Unacknowledged messages pushed at once after a (re)connect; the rest follow acks. */
  redeliverBatch: 500,
  /** Messages in one `message:sendMany`, and in one `messages:received` push. */
  batch: 500,
} as const;


/**
 * Who a message is for:
 * - `agent`: one agent, by name or id;
 * - `broadcast`: every registered agent but the sender;
 * - `capability`: any ONE agent with that capability (at or above `level`), online ones first;
 * - `channel`: every agent whose card lists the channel.
 */
export const addressSchema = z.union([
  z.object({ agent: z.string().min(1).max(64) }).strict(),
  z.object({ broadcast: z.literal(true) }).strict(),
  z.object({ capability: identifier, level: z.number().int().min(1).max(5).default(1) }).strict(),
  z.object({ channel: identifier }).strict(),
]);
export type Address = z.infer<typeof addressSchema>;

const bytes = (v: unknown) => (typeof v === "string" ? Buffer.byteLength(v, "utf8") : jsonBytes(v));

export const sendMessageSchema = z
  .object({
    to: addressSchema,
    body: z.string().refine((s) => bytes(s) <= MESSAGE_LIMITS.bodyBytes, `body must be at most ${MESSAGE_LIMITS.bodyBytes} bytes`),
    data: z
      .unknown()
      .refine((v) => bytes(v) <= MESSAGE_LIMITS.dataBytes, `data must be at most ${MESSAGE_LIMITS.dataBytes} bytes of JSON`)
      .optional(),
    /** The id of the message this answers; the reply joins its thread. */
    replyTo: z.string().min(1).max(64).optional(),
    importance: importanceSchema.default("normal"),
    /**
     * Idempotency key chosen by the sender (the SDK sets one per send): sending again with the
     * same key — after a lost answer or a reconnect — returns the first send's result and
     * stores nothing new. Remembered for an hour.
     */
    key: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SendMessageInput = z.input<typeof sendMessageSchema>;
export type SendMessage = z.infer<typeof sendMessageSchema>;

/** Several messages in one emit; each is checked on its own, so the array is only shape-checked here. */
export const sendManySchema = z.object({ messages: z.array(z.unknown()).min(1).max(MESSAGE_LIMITS.batch) }).strict();

export const sendResultSchema = z
  .object({
    messageId: z.string(),
    threadId: z.string(),
    /** Names of the agents it was stored for. */
    recipients: z.array(z.string()),
  })
  .meta({ id: "SendResult" });
export type SendResult = z.infer<typeof sendResultSchema>;

/** One slot of a `message:sendMany` answer, in the order sent. */
export type SendManyResult = { ok: true; data: SendResult } | { ok: false; error: { code: string; message: string } };

/** Cumulative acknowledgement: every message up to and including `upTo` has been handled. */
export const ackMessagesSchema = z.object({ upTo: z.number().int().min(0) }).strict();

export const messageViewSchema = z
  .object({
    id: z.string().min(1),
    /** The recipient's sequence number of this delivery (gap-free per recipient). */
    seq: z.number().int().positive(),
    from: z.object({ agentId: z.string().nullable(), name: z.string() }),
    to: z.object({ kind: z.enum(["agent", "broadcast", "capability", "channel"]), value: z.string() }),
    /** The first message of the conversation this one belongs to. */
    threadId: z.string(),
    replyTo: z.string().nullable(),
    importance: importanceSchema,
    body: z.string(),
    data: z.unknown(),
    createdAt: z.number(),
  })
  .meta({ id: "Message" });
export type MessageView = z.infer<typeof messageViewSchema>;

/** A message as a conversation shows it (no per-recipient seq). */
export const conversationMessageSchema = messageViewSchema.omit({ seq: true }).extend({ recipients: z.number().int() }).meta({ id: "ConversationMessage" });
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

export const conversationInput = z.union([
  z.object({ agentId: z.string().min(1).max(64), limit: z.number().int().min(1).max(500).default(100) }),
  z.object({ channel: identifier, limit: z.number().int().min(1).max(500).default(100) }),
]);

export const inboxQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().min(0).max(60).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
