import { router } from "./trpc";
import { authRouter } from "./routers/auth";
import { fleetRouter } from "./routers/fleet";
import { agentsRouter } from "./routers/agents";
import { tasksRouter } from "./routers/tasks";
import { tokensRouter } from "./routers/tokens";

export const appRouter = router({
  auth: authRouter,
  fleet: fleetRouter,
  agents: agentsRouter,
  tasks: tasksRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
