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
});

export type AppRouter = typeof appRouter;
