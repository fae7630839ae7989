import { router } from "./trpc";
import { authRouter } from "./routers/auth";
import { fleetRouter } from "./routers/fleet";
import { agentsRouter } from "./routers/agents";
import { tasksRouter } from "./routers/tasks";
import { tokensRouter } from "./routers/tokens";
import { templatesRouter } from "./routers/templates";
import { runsRouter } from "./routers/runs";
import { approvalsRouter } from "./routers/approvals";
import { messagesRouter } from "./routers/messages";
import { usersRouter } from "./routers/users";
import { auditRouter } from "./routers/audit";
import { trafficRouter } from "./routers/traffic";
import { incidentsRouter } from "./routers/incidents";
import { insightRouter } from "./routers/insight";
import { alertsRouter } from "./routers/alerts";
import { reportsRouter } from "./routers/reports";
import { poolsRouter } from "./routers/pools";

export const appRouter = router({
  auth: authRouter,
  fleet: fleetRouter,
  agents: agentsRouter,
  tasks: tasksRouter,
  tokens: tokensRouter,
  templates: templatesRouter,
  runs: runsRouter,
  approvals: approvalsRouter,
  messages: messagesRouter,
  users: usersRouter,
  audit: auditRouter,
  traffic: trafficRouter,
  incidents: incidentsRouter,
  insight: insightRouter,
  alerts: alertsRouter,
  reports: reportsRouter,
  pools: poolsRouter,
});

export type AppRouter = typeof appRouter;
