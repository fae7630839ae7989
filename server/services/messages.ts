// Conversations and operator messages (agents message each other through agent-protocol.ts).
import type { ConversationMessage, SendMessage, SendResult } from "@/lib/messaging";
import { principalName } from "@/server/auth/principal";
import type { Caller, ServiceContext } from "./context";

/** An agent's conversation (what it sent and received) or a channel's, oldest first. */
export const conversation = (s: ServiceContext, caller: Caller, q: { agentId: string; limit: number } | { channel: string; limit: number }): Promise<ConversationMessage[]> =>
  s.read(caller, "messages.find", () => s.deps.messages.conversation(q));

/** An operator or a script writes to an agent, a capability, a channel or everyone. */
export const sendAsOperator = (s: ServiceContext, caller: Caller, m: SendMessage): Promise<SendResult> =>
  s.mutate(caller, "messages.send", (p) => s.deps.messages.send({ operator: principalName(p) }, m), { input: { to: m.to, bytes: m.body.length }, target: null });
