import { z } from "zod";
import { identifier } from "@/lib/protocol";
import { sendMessageSchema } from "@/lib/messaging";
import { procedure, router } from "../trpc";

export const messagesRouter = router({
  /** An agent's conversation (what it sent and received) or a channel's. */
  find: procedure
    .input(z.union([z.object({ agentId: z.string().min(1).max(64), limit: z.number().int().min(1).max(500).default(100) }), z.object({ channel: identifier, limit: z.number().int().min(1).max(500).default(100) })]))
    .query(({ ctx, input }) => ctx.messages.conversation(input)),
  /** An operator writes to an agent, a capability, a channel or everyone. */
  send: procedure.input(sendMessageSchema).mutation(({ ctx, input }) => ctx.messages.send({ operator: ctx.principalName }, input)),
});
