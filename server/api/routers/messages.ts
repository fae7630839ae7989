import { z } from "zod";
import { conversationInput, conversationMessageSchema, sendMessageSchema, sendResultSchema } from "@/lib/messaging";
import * as messages from "@/server/services/messages";
import { procedure, router } from "../trpc";

export const messagesRouter = router({
  /** An agent's conversation (what it sent and received) or a channel's. */
  find: procedure.input(conversationInput).output(z.array(conversationMessageSchema)).query(({ ctx, input }) => messages.conversation(ctx.svc, ctx.caller, input)),
  /** An operator writes to an agent, a capability, a channel or everyone. */
  send: procedure.input(sendMessageSchema).output(sendResultSchema).mutation(({ ctx, input }) => messages.sendAsOperator(ctx.svc, ctx.caller, input)),
});
