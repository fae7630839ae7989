"use client";
import { useMemo } from "react";
import { useOpenApiDocument } from "@/lib/client/use-openapi-document";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader } from "@/components/panel";
import { buildReference } from "./api-reference";
import { ApiIntro } from "./api-intro";
import { OperationBrowser } from "./operation-browser";

/** The REST API's reference, read from the OpenAPI document the server serves. */
export function ApiReferenceView() {
  const { data, error, isPending } = useOpenApiDocument();
  const reference = useMemo(() => (data ? buildReference(data) : null), [data]);
  return (
    <>
      <PageHeader
        title="API reference"
        subtitle={reference ? `${reference.title}, version ${reference.version}: what each call takes, what it answers and who may make it.` : "What each call of the REST API takes, what it answers and who may make it."}
      />
      <ApiIntro basePath={reference?.basePath ?? "/api/v1"} auth={reference?.auth} errorCodes={reference?.errorCodes ?? []} />
      <ErrorNotice error={error} title="Could not load the API description" />
      {isPending ? <Loading label="Loading the API description…" /> : reference ? <OperationBrowser reference={reference} /> : null}
    </>
  );
}
