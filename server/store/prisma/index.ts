// The repositories both SQL stores share: each uses only Prisma's model API (see client.ts).
import type { Store } from "../ports";
import type { PrismaModels } from "./client";
import { PrismaAgents } from "./agents";
import { PrismaAudit, PrismaIncidents } from "./audit";
import { PrismaSessions, PrismaUsers } from "./identity";
import { PrismaMessages } from "./messages";
import { PrismaTokens } from "./tokens";
import { PrismaWorkflows } from "./workflows";
import { PrismaAlerts } from "./alerts";
import { PrismaReports } from "./reports";
import { PrismaPools } from "./pools";

export type SharedRepositories = Pick<Store, "agents" | "tokens" | "users" | "sessions" | "audit" | "incidents" | "workflows" | "messages" | "alerts" | "reports" | "pools">;

export function prismaRepositories(db: PrismaModels): SharedRepositories {
  return {
    agents: new PrismaAgents(db),
    tokens: new PrismaTokens(db),
    users: new PrismaUsers(db),
    sessions: new PrismaSessions(db),
    audit: new PrismaAudit(db),
    incidents: new PrismaIncidents(db),
    workflows: new PrismaWorkflows(db),
    messages: new PrismaMessages(db),
    alerts: new PrismaAlerts(db),
    reports: new PrismaReports(db),
    pools: new PrismaPools(db),
  };
}
