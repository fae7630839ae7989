import { findIncidentsInput, incidentCountsInput, incidentCountsSchema, incidentPageSchema } from "@/lib/api";
import * as health from "@/server/services/health";
import { procedure, router } from "../trpc";

export const incidentsRouter = router({
  find: procedure.input(findIncidentsInput).output(incidentPageSchema).query(({ ctx, input }) => health.findIncidents(ctx.svc, ctx.caller, input)),
  counts: procedure.input(incidentCountsInput).output(incidentCountsSchema).query(({ ctx, input }) => health.incidentCounts(ctx.svc, ctx.caller, input?.windowMinutes ?? 60)),
});
