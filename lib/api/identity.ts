// People and machines: users, API tokens, who is calling, and the audit log.
import { z } from "zod";
import { auditOutcomeSchema, roleSchema, tokenScopeSchema } from "./enums";

const time = z.number().describe("epoch milliseconds");

export const tokenViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The first characters of the secret, to recognise a token in lists. */
    prefix: z.string(),
    scope: tokenScopeSchema,
    /** An agent token that may also submit tasks (agents do not, by default). */
    canSubmit: z.boolean(),
    /** The user who made it, if a user did. */
    createdBy: z.string().nullable(),
    createdAt: time,
    lastUsedAt: time.nullable(),
    expiresAt: time.nullable(),
    revokedAt: time.nullable(),
  })
  .meta({ id: "Token" });
export type TokenView = z.infer<typeof tokenViewSchema>;

export const tokenCreateInput = z
  .object({
    name: z.string().trim().min(1).max(64),
    scope: tokenScopeSchema.default("agent"),
    /** Agent tokens only: may also submit tasks (off by default: tasks are shell commands). */
    canSubmit: z.boolean().default(false),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .meta({ id: "TokenCreate" });

/** The secret is in this answer only. */
export const tokenCreatedSchema = z.object({ token: tokenViewSchema, secret: z.string() }).meta({ id: "TokenCreated" });
export type TokenCreated = z.infer<typeof tokenCreatedSchema>;

export const tokenExchangeInput = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(200),
    /** What the token is for; shown on the Tokens page. */
    name: z.string().trim().min(1).max(64).optional(),
    /** Defaults to the most the user's role allows (admin → admin, operator → submit, viewer → read). */
    scope: tokenScopeSchema.optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .meta({ id: "TokenExchange" });

export const loginInput = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).meta({ id: "Login" });

/** Who the caller is (REST GET /me). */
export const meSchema = z
  .object({
    kind: z.enum(["user", "token"]),
    id: z.string(),
    name: z.string(),
    role: roleSchema.nullable(),
    scope: tokenScopeSchema.nullable(),
    canSubmit: z.boolean().nullable(),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof meSchema>;

/** The dashboard's `auth.me`: who is signed in (null when nobody). */
export const sessionMeSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("user"), username: z.string(), role: roleSchema }),
    z.object({ kind: z.literal("token"), username: z.string(), scope: tokenScopeSchema }),
  ])
  .nullable();
export type SessionMe = z.infer<typeof sessionMeSchema>;

export const userViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    createdAt: time,
    createdBy: z.string(),
    lastLoginAt: time.nullable(),
  })
  .meta({ id: "User" });
export type UserView = z.infer<typeof userViewSchema>;

const password = z.string().min(1).max(200);
export const createUserInput = z
  .object({ username: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, "letters, digits and . _ @ - only"), password, role: roleSchema })
  .strict();
export const setRoleInput = z.object({ id: z.string().min(1).max(64), role: roleSchema }).strict();
export const setDisabledInput = z.object({ id: z.string().min(1).max(64), disabled: z.boolean() }).strict();
export const resetPasswordInput = z.object({ id: z.string().min(1).max(64), password }).strict();

export const auditViewSchema = z
  .object({
    id: z.number().int(),
    at: time,
    actor: z.string(),
    actorKind: z.enum(["user", "token", "anonymous"]),
    role: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string(),
    outcome: auditOutcomeSchema,
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "AuditEvent" });
export type AuditView = z.infer<typeof auditViewSchema>;

export const findAuditInput = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  outcome: auditOutcomeSchema.optional(),
  search: z.string().max(200).optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.number().int().nullish(),
});
export const auditPageSchema = z.object({ items: z.array(auditViewSchema), nextCursor: z.number().int().nullable() });
