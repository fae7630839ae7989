import { router, viewerProcedure } from "../trpc";

export const fleetRouter = router({
  stats: viewerProcedure.query(({ ctx }) => ctx.coordinator.stats()),
});
