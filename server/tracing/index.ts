// OpenTelemetry traces, off unless an OTLP endpoint is configured. This file is all the rest of
// the server imports: a port the transports call through (`TaskTracing`, null when off, so off
// costs them one null check) and the switch that loads the SDK only when tracing is on.
import type { ServerEnv } from "@/lib/env";
import { log } from "@/server/log";
import type { Tracing } from "./tracing";

export type { Tracing };

export type { TaskTracing } from "@/server/services/tracing-port";

/** The standard OTel switches: an OTLP endpoint (general or for traces) and not OTEL_SDK_DISABLED. */
export function tracingEnabled(env: Pick<ServerEnv, "OTEL_EXPORTER_OTLP_ENDPOINT" | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" | "OTEL_SDK_DISABLED">): boolean {
  return !env.OTEL_SDK_DISABLED && !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * The tracer for this server, or null when tracing is off. The SDK and the exporter are imported
 * here, lazily, so a server without tracing never loads them.
 */
export async function startTracing(env: ServerEnv, opts: { trpcProcedures: Iterable<string> }): Promise<Tracing | null> {
  if (!tracingEnabled(env)) return null;
  const { Tracing, otlpSpanProcessor, reportExportErrors } = await import("./tracing");
  reportExportErrors();
  log.info("tracing on: spans go to the OTLP/HTTP endpoint", { endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT, service: env.OTEL_SERVICE_NAME });
  return new Tracing({ serviceName: env.OTEL_SERVICE_NAME, spanProcessor: otlpSpanProcessor(), trpcProcedures: opts.trpcProcedures });
}
