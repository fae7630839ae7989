// The repositories in this folder use only Prisma's model API, which is the same for both SQL
// stores: the SQLite client (generated/prisma) and the PostgreSQL one (generated/prisma-pg)
// are generated from the same models (prisma/postgresql/schema.prisma is derived from
// prisma/schema.prisma). So they are written once, typed against the delegates they use.
//
// TypeScript cannot relate two generated clients' delegates (their generic, conditional
// argument and payload types are declared apart), so the PostgreSQL client is handed over as
// this type in one place (postgres/index.ts, `asModels`). What that could hide is checked
// here instead: every model's row type must be the same in both clients — a type mapping in
// the derived schema that changed what a column reads as (a BigInt, a Decimal, a Json) fails
// the type check. The conformance suite checks the behaviour on both engines.
import type { PrismaClient as SqliteClient } from "@/generated/prisma/client";
import type { PrismaClient as PostgresClient } from "@/generated/prisma-pg/client";

type Models =
  | "agent"
  | "agentSample"
  | "apiToken"
  | "user"
  | "session"
  | "auditEvent"
  | "incident"
  | "message"
  | "messageDelivery"
  | "mailbox"
  | "workflowTemplate"
  | "workflowTemplateVersion"
  | "workflowRun"
  | "workflowStep"
  | "alertRule"
  | "alertInstance"
  | "alertTransition"
  | "alertSilence"
  | "alertChannel"
  | "alertDelivery"
  | "reportSchedule"
  | "report"
  | "pool"
  | "poolInstance"
  | "poolDecision"
  | "errorGroup"
  | "workflowStats"
  | "meta";

/** The delegates (and transactions) the shared repositories use. */
export type PrismaModels = Pick<SqliteClient, Models | "$transaction">;

type RowOf<C, K extends keyof C> = C[K] extends { findMany(...a: never[]): Promise<(infer R)[]> } ? R : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// A compile-time check: `false` for a model whose rows differ between the two clients.
const rowsAgree: { [K in Models]: Same<RowOf<SqliteClient, K>, RowOf<PostgresClient, K>> } = {
  agent: true,
  agentSample: true,
  apiToken: true,
  user: true,
  session: true,
  auditEvent: true,
  incident: true,
  message: true,
  messageDelivery: true,
  mailbox: true,
  workflowTemplate: true,
  workflowTemplateVersion: true,
  workflowRun: true,
  workflowStep: true,
  alertRule: true,
  alertInstance: true,
  alertTransition: true,
  alertSilence: true,
  alertChannel: true,
  alertDelivery: true,
  reportSchedule: true,
  report: true,
  pool: true,
  poolInstance: true,
  poolDecision: true,
  errorGroup: true,
  workflowStats: true,
  meta: true,
};
void rowsAgree;

/** The PostgreSQL client as the shared repositories' type (see the header for why this is sound). */
export const asModels = (db: PostgresClient): PrismaModels => db as unknown as PrismaModels;
