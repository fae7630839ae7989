// The part of an OpenAPI 3.1 document that the API reference page (/api) reads, checked once where
// it arrives from GET /api/v1/openapi.json. Schemas stay plain JSON objects: they are JSON Schema
// 2020-12, walked by the page's schema tree, which reads what it knows and ignores the rest, so a
// keyword the server adds later does not break the page.
import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

const jsonSchema = z.record(z.string(), z.unknown());
const mediaType = z.object({ schema: jsonSchema.optional() });

const parameter = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie"]),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: jsonSchema.optional(),
});

const operation = z.object({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  deprecated: z.boolean().optional(),
  parameters: z.array(parameter).optional(),
  requestBody: z.object({ required: z.boolean().optional(), description: z.string().optional(), content: z.record(z.string(), mediaType) }).optional(),
  responses: z.record(z.string(), z.object({ description: z.string().optional(), content: z.record(z.string(), mediaType).optional() })).optional(),
});

/** The methods a path item may hold, in the order the page lists them. */
export const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"] as const;
export type HttpMethodKey = (typeof HTTP_METHODS)[number];

const pathItem = z.object({
  get: operation.optional(),
  post: operation.optional(),
  put: operation.optional(),
  patch: operation.optional(),
  delete: operation.optional(),
  head: operation.optional(),
  options: operation.optional(),
});

export const openApiDocumentSchema = z.object({
  openapi: z.string().regex(/^3\./, "only OpenAPI 3 documents are read"),
  info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
  tags: z.array(z.object({ name: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), pathItem),
  components: z
    .object({
      schemas: z.record(z.string(), jsonSchema).optional(),
      securitySchemes: z.record(z.string(), z.object({ type: z.string(), scheme: z.string().optional(), description: z.string().optional() })).optional(),
    })
    .optional(),
});

export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
export type OpenApiOperation = z.infer<typeof operation>;
export type OpenApiParameter = z.infer<typeof parameter>;
