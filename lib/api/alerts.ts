// Alerts: what fires, its history, silences, rules and the channels notifications go to — the
// schemas of every request and answer (tRPC, REST, the OpenAPI document and the SDK share them).
import { z } from "zod";
import { parseMatcher } from "@/lib/label-matchers";

const time = z.number().describe("epoch milliseconds");
const duration = (max: number) => z.number().int().min(0).max(max).describe("milliseconds");
const DAY = 86_400_000;

export const severitySchema = z.enum(["info", "warning", "critical"]).meta({ id: "Severity" });
export const alertPhaseSchema = z.enum(["pending", "firing", "resolved"]).meta({ id: "AlertPhase" });
export const ruleKindSchema = z
  .enum(["agents_offline", "queue_wait", "failure_rate", "dead_tasks", "approval_waiting", "error_group", "forecast_shortage", "pool_at_max", "pool_crash_loop"])
  .meta({ id: "AlertRuleKind" });

/** A label matcher in Alertmanager's syntax: `agent="b-1"`, `severity!="info"`, `capability=~"gpu|cuda"`. */
export const matcherText = z
  .string()
  .max(300)
  .superRefine((s, ctx) => {
    const m = parseMatcher(s);
    if (typeof m === "string") ctx.addIssue({ code: "custom", message: m });
  });

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a label name: letters, digits and _, not starting with a digit");
const labels = z.record(labelName, z.string().max(200)).refine((l) => Object.keys(l).length <= 20, "at most 20 labels");

export const alertViewSchema = z
  .object({
    fingerprint: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
    severity: severitySchema,
    labels: z.record(z.string(), z.string()),
    phase: alertPhaseSchema,
    activeAt: time,
    firingAt: time.nullable(),
    resolvedAt: time.nullable(),
    value: z.number().nullable(),
    summary: z.string(),
    /** What the channels were last told, and when. */
    notified: z.enum(["firing", "resolved"]).nullable(),
    lastNotifiedAt: time.nullable(),
    acknowledged: z.object({ by: z.string(), at: time, comment: z.string() }).nullable(),
    /** Silences that cover it now (nothing is sent while there is one). */
    silencedBy: z.array(z.string()),
  })
  .meta({ id: "Alert" });
export type AlertView = z.infer<typeof alertViewSchema>;

export const alertListSchema = z.object({ alerts: z.array(alertViewSchema), firing: z.number().int() }).meta({ id: "AlertList" });

export const alertTransitionSchema = z
  .object({ id: z.number().int(), fingerprint: z.string(), ruleId: z.string(), labels: z.record(z.string(), z.string()), from: z.string(), to: z.string(), at: time, value: z.number().nullable(), summary: z.string() })
  .meta({ id: "AlertTransition" });
export const alertHistoryInput = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().min(1).optional(),
  fingerprint: z.string().max(64).optional(),
});
export const alertHistorySchema = z.object({ items: z.array(alertTransitionSchema), nextCursor: z.number().int().nullable() }).meta({ id: "AlertHistory" });

export const ackInput = z.object({ comment: z.string().max(500).default("") });

// ---- Rules ----

const window = duration(DAY).refine((n) => n >= 60_000, "must be at least 60000 (one minute)");

export const ruleParamsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("agents_offline"), params: z.object({ includeStopped: z.boolean().default(false) }).default({ includeStopped: false }) }),
  z.object({ kind: z.literal("queue_wait"), params: z.object({ targetMs: duration(DAY).min(1_000), windowMs: window.default(900_000), minTasks: z.number().int().min(1).max(100_000).default(3) }) }),
  z.object({ kind: z.literal("failure_rate"), params: z.object({ threshold: z.number().gt(0).max(1), windowMs: window.default(900_000), minTasks: z.number().int().min(1).max(100_000).default(5) }) }),
  z.object({ kind: z.literal("dead_tasks"), params: z.object({ windowMs: window.default(900_000), min: z.number().int().min(1).max(100_000).default(1) }).default({ windowMs: 900_000, min: 1 }) }),
  z.object({ kind: z.literal("approval_waiting"), params: z.object({ olderThanMs: duration(30 * DAY).min(60_000) }) }),
  z.object({
    kind: z.literal("error_group"),
    params: z
      .object({ windowMs: window.default(1_800_000), kinds: z.array(z.enum(["error_group_new", "error_group_reopened", "error_group_spike"])).min(1).default(["error_group_new", "error_group_reopened", "error_group_spike"]) })
      .default({ windowMs: 1_800_000, kinds: ["error_group_new", "error_group_reopened", "error_group_spike"] }),
  }),
  z.object({ kind: z.literal("forecast_shortage"), params: z.object({ withinMs: duration(7 * DAY).min(3_600_000).default(DAY) }).default({ withinMs: DAY }) }),
  z.object({ kind: z.literal("pool_at_max"), params: z.object({}).strict().default({}) }),
  z.object({ kind: z.literal("pool_crash_loop"), params: z.object({ crashes: z.number().int().min(1).max(1000).default(3) }).default({ crashes: 3 }) }),
]);

const ruleCommon = {
  /** Becomes the `alertname` label, as in Prometheus. */
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be an alert name such as QueueWaitHigh: letters, digits and _"),
  severity: severitySchema.default("warning"),
  labels: labels.default({}),
  forMs: duration(DAY).default(0),
  keepFiringForMs: duration(DAY).default(0),
  repeatIntervalMs: duration(7 * DAY).min(60_000).default(4 * 3_600_000),
  enabled: z.boolean().default(true),
};

export const ruleInput = z.intersection(z.object(ruleCommon), ruleParamsSchema);
export type RuleInput = z.input<typeof ruleInput>;
export const updateRuleInput = z.intersection(z.object({ id: z.string().min(1).max(64), ...ruleCommon }), ruleParamsSchema);

export const ruleViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: ruleKindSchema,
    params: z.record(z.string(), z.unknown()),
    severity: severitySchema,
    labels: z.record(z.string(), z.string()),
    forMs: z.number(),
    keepFiringForMs: z.number(),
    repeatIntervalMs: z.number(),
    enabled: z.boolean(),
    builtIn: z.boolean(),
    createdBy: z.string().nullable(),
    updatedAt: time,
  })
  .meta({ id: "AlertRule" });
export type RuleView = z.infer<typeof ruleViewSchema>;

/** Rules as YAML (see alert-rules-yaml.ts): JSON `{ source }`, or the YAML itself as the body. */
export const importRulesInput = z.object({ source: z.string().min(1, "is empty").max(200_000) });
export const importRulesResultSchema = z.object({ created: z.array(z.string()), updated: z.array(z.string()) }).meta({ id: "ImportedRules" });

// ---- Silences ----

export const silenceInput = z
  .object({
    matchers: z.array(matcherText).min(1, "needs at least one matcher, such as agent=\"b-1\"").max(20),
    startsAt: time.optional(),
    endsAt: time,
    comment: z.string().max(500).default(""),
  })
  .refine((s) => s.endsAt > (s.startsAt ?? 0), { message: "must be after startsAt", path: ["endsAt"] });

export const silenceViewSchema = z
  .object({ id: z.string(), matchers: z.array(z.string()), startsAt: time, endsAt: time, comment: z.string(), createdBy: z.string(), createdAt: time, active: z.boolean() })
  .meta({ id: "Silence" });

// ---- Channels ----

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }).max(2000);

const channelFields = z.object({
  name: z.string().trim().min(1).max(80),
  kind: z.enum(["webhook", "slack", "email"]),
  /** Webhooks and Slack: where to POST. */
  url: httpUrl.optional(),
  /** E-mail: the addresses (sent over the server's SMTP relay, SWITCHBOARD_SMTP_URL). */
  to: z.array(z.email({ message: "must be e-mail addresses such as ops@example.com" }).max(254)).max(20).optional(),
  /** Webhooks: signs every body (header Switchboard-Signature). Kept, never shown again. */
  secret: z.string().min(16, "must be at least 16 characters").max(200).optional(),
  matchers: z.array(matcherText).max(20).default([]),
  minSeverity: severitySchema.default("info"),
  groupBy: z.array(labelName).max(10).default([]),
  enabled: z.boolean().default(true),
});
/** Each kind names what it needs: a URL to POST to, or addresses to mail. */
const addressed = <T extends { kind: string; url?: string; to?: string[] }>(c: T, ctx: z.RefinementCtx) => {
  if (c.kind === "email" && !c.to?.length) ctx.addIssue({ code: "custom", path: ["to"], message: "an e-mail channel needs at least one address" });
  if (c.kind !== "email" && !c.url) ctx.addIssue({ code: "custom", path: ["url"], message: `a ${c.kind === "slack" ? "Slack" : "webhook"} channel needs a URL` });
};
export const channelInput = channelFields.superRefine(addressed);
export const updateChannelInput = channelFields.extend({ id: z.string().min(1).max(64) }).superRefine(addressed);

export const channelViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["webhook", "slack", "email"]),
    /** The URL of a webhook or Slack channel; empty for e-mail. */
    url: z.string(),
    /** The addresses of an e-mail channel; empty otherwise. */
    to: z.array(z.string()),
    signed: z.boolean(),
    matchers: z.array(z.string()),
    minSeverity: severitySchema,
    groupBy: z.array(z.string()),
    enabled: z.boolean(),
    createdBy: z.string().nullable(),
    updatedAt: time,
  })
  .meta({ id: "AlertChannel" });
export type ChannelView = z.infer<typeof channelViewSchema>;

export const deliveryViewSchema = z
  .object({ id: z.number().int(), channelId: z.string(), groupKey: z.string(), attempt: z.number().int(), at: time, ok: z.boolean(), status: z.number().int().nullable(), error: z.string().nullable(), alerts: z.number().int(), durationMs: z.number() })
  .meta({ id: "AlertDelivery" });
export const deliveryOutcomeSchema = z.object({ ok: z.boolean(), status: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number() }).meta({ id: "DeliveryOutcome" });
