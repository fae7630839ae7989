import { z } from "zod";
import {
  ackInput,
  importRulesInput,
  importRulesResultSchema,
  alertHistoryInput,
  alertHistorySchema,
  alertListSchema,
  alertViewSchema,
  channelInput,
  channelViewSchema,
  deliveryOutcomeSchema,
  deliveryViewSchema,
  ruleInput,
  ruleViewSchema,
  silenceInput,
  silenceViewSchema,
  updateChannelInput,
  updateRuleInput,
} from "@/lib/api/alerts";
import * as alerts from "@/server/services/alerts";
import { procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });
const ok = z.object({ ok: z.literal(true) });

export const alertsRouter = router({
  list: procedure.output(alertListSchema).query(({ ctx }) => alerts.list(ctx.svc, ctx.caller)),
  history: procedure.input(alertHistoryInput).output(alertHistorySchema).query(({ ctx, input }) => alerts.history(ctx.svc, ctx.caller, input)),
  acknowledge: procedure.input(byId.extend(ackInput.shape)).output(alertViewSchema).mutation(({ ctx, input }) => alerts.acknowledge(ctx.svc, ctx.caller, input)),
  rules: procedure.output(z.object({ rules: z.array(ruleViewSchema) })).query(({ ctx }) => alerts.rules(ctx.svc, ctx.caller)),
  importRules: procedure.input(importRulesInput).output(importRulesResultSchema).mutation(({ ctx, input }) => alerts.importRules(ctx.svc, ctx.caller, input)),
  exportRules: procedure.output(z.object({ yaml: z.string() })).query(async ({ ctx }) => ({ yaml: await alerts.exportRules(ctx.svc, ctx.caller) })),
  createRule: procedure.input(ruleInput).output(ruleViewSchema).mutation(({ ctx, input }) => alerts.createRule(ctx.svc, ctx.caller, input)),
  updateRule: procedure.input(updateRuleInput).output(ruleViewSchema).mutation(({ ctx, input }) => alerts.updateRule(ctx.svc, ctx.caller, input)),
  deleteRule: procedure.input(byId).output(ok).mutation(({ ctx, input }) => alerts.deleteRule(ctx.svc, ctx.caller, input)),
  silences: procedure.output(z.object({ silences: z.array(silenceViewSchema) })).query(({ ctx }) => alerts.silences(ctx.svc, ctx.caller)),
  createSilence: procedure.input(silenceInput).output(silenceViewSchema).mutation(({ ctx, input }) => alerts.createSilence(ctx.svc, ctx.caller, input)),
  expireSilence: procedure.input(byId).output(silenceViewSchema).mutation(({ ctx, input }) => alerts.expireSilence(ctx.svc, ctx.caller, input)),
  channels: procedure.output(z.object({ channels: z.array(channelViewSchema) })).query(({ ctx }) => alerts.channels(ctx.svc, ctx.caller)),
  createChannel: procedure.input(channelInput).output(channelViewSchema).mutation(({ ctx, input }) => alerts.createChannel(ctx.svc, ctx.caller, input)),
  updateChannel: procedure.input(updateChannelInput).output(channelViewSchema).mutation(({ ctx, input }) => alerts.updateChannel(ctx.svc, ctx.caller, input)),
  deleteChannel: procedure.input(byId).output(ok).mutation(({ ctx, input }) => alerts.deleteChannel(ctx.svc, ctx.caller, input)),
  testChannel: procedure.input(byId).output(deliveryOutcomeSchema).mutation(({ ctx, input }) => alerts.testChannel(ctx.svc, ctx.caller, input)),
  deliveries: procedure.input(byId.extend({ limit: z.number().int().min(1).max(500).default(50) })).output(z.object({ deliveries: z.array(deliveryViewSchema) })).query(({ ctx, input }) => alerts.deliveries(ctx.svc, ctx.caller, input)),
});
