// What an operator should know happened: the incidents timeline.
import { z } from "zod";
import { incidentKindSchema } from "./enums";

export const incidentViewSchema = z
  .object({
    id: z.number().int(),
    at: z.number(),
    kind: incidentKindSchema,
    agentId: z.string().nullable(),
    agentName: z.string().nullable(),
    taskId: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: "Incident" });
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const findIncidentsInput = z.object({
  kind: incidentKindSchema.optional(),
  since: z.number().int().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.number().int().nullish(),
});
export const incidentPageSchema = z.object({ items: z.array(incidentViewSchema), nextCursor: z.number().int().nullable() });
export const incidentCountsInput = z.object({ windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60) }).optional();
export const incidentCountsSchema = z.record(incidentKindSchema, z.number().int());
