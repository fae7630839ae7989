import { router, procedure } from "../trpc";

export const fleetRouter = router({
  stats: procedure.query(({ ctx }) => ctx.coordinator.stats()),
});
