"use client";
import { useQuery } from "@tanstack/react-query";
import { openApiDocumentSchema, type OpenApiDocument } from "./openapi-document";

/** Public, no session needed: the same file a user downloads to generate a client. */
export const OPENAPI_URL = "/api/v1/openapi.json";

async function fetchOpenApiDocument(): Promise<OpenApiDocument> {
  let res: Response;
  try {
    res = await fetch(OPENAPI_URL, { headers: { accept: "application/json" } });
  } catch {
    throw new Error("Cannot reach the Switchboard server. Check that it is running, then try again.");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new Error(typeof message === "string" ? message : `The server answered HTTP ${res.status} for ${OPENAPI_URL}.`);
  }
  const parsed = openApiDocumentSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${OPENAPI_URL} is not a document this page can read (${issue.path.join(".") || "the document"}: ${issue.message}).`);
  }
  return parsed.data;
}

/** The REST API's OpenAPI document. It changes only with a new server version, so it is fetched once. */
export function useOpenApiDocument() {
  return useQuery({ queryKey: ["openapi-document"], queryFn: fetchOpenApiDocument, staleTime: Infinity });
}
