import { z } from "zod";
import { agentDetailSchema, agentViewSchema, byIdInput, drainInput, findAgentsInput } from "@/lib/api";
import * as agents from "@/server/services/agents";
import { procedure, router } from "../trpc";

export const agentsRouter = router({
  find: procedure.input(findAgentsInput).output(z.array(agentViewSchema)).query(({ ctx, input }) => agents.findAgents(ctx.svc, ctx.caller, input)),
  get: procedure.input(byIdInput).output(agentDetailSchema).query(({ ctx, input }) => agents.getAgent(ctx.svc, ctx.caller, input.id)),
  /** Graceful drain from the dashboard: it finishes what it holds and takes nothing new (or resumes). */
  drain: procedure.input(drainInput).output(agentViewSchema).mutation(({ ctx, input }) => agents.drainAgent(ctx.svc, ctx.caller, input)),
  /** Removes an offline agent that holds no work from the fleet; its tasks' history keeps its id. */
  forget: procedure.input(byIdInput.strict()).output(agentViewSchema).mutation(({ ctx, input }) => agents.forgetAgent(ctx.svc, ctx.caller, input.id)),
});
