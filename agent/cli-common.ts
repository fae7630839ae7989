// What every CLI command shares: printing, turning errors into one sentence and an exit
// code, and the --server/--token flags.

import { Command } from "commander";
import { resolveServer, resolveToken } from "./cli-env";
import { UsageError } from "./cli-flags";
import { TemplateError } from "./command-template";
import { ApiError, createHttpClient, type HttpClient } from "./http-client";
import { AgentRejectedError } from "./sdk";
import { issueLine, issuesHeadline } from "./cli-workflow-format";

export const POLL_MS = 500;

export interface ConnectionFlags {
  server?: string;
  token?: string;
}

export const out = (text: string) => process.stdout.write(`${text}\n`);
export const note = (text: string) => process.stderr.write(`${text}\n`);
export const printJson = (value: unknown) => out(JSON.stringify(value, null, 2));

/** Wraps an action so that its errors become one line on stderr (plus validation issues) and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>) {
  return async (...args: A) => {
    try {
      process.exitCode = (await fn(...args)) ?? 0;
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) {
        note(`switchboard: ${issuesHeadline(error.message, error.issues.length)}`);
        error.issues.forEach((issue) => note(issueLine(issue)));
      } else note(`switchboard: ${describeError(error)}`);
      if (process.env.SWITCHBOARD_DEBUG === "1" && error instanceof Error) note(error.stack ?? "");
      process.exitCode = error instanceof UsageError || error instanceof TemplateError ? 2 : 1;
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "UNAUTHORIZED") return `the server rejected the credentials: ${error.message}`;
    if (error.code === "FORBIDDEN") return `not allowed: ${error.message}`;
    if (error.code === "NOT_FOUND") return `not found: ${error.message}`;
    return error.message;
  }
  if (error instanceof UsageError || error instanceof AgentRejectedError || error instanceof TemplateError) return error.message;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

export function withConnection(command: Command): Command {
  return command
    .option("--server <url>", "server URL (default: $SWITCHBOARD_SERVER, the saved login's, or http://127.0.0.1:3000)")
    .option("--token <token>", "API token (default: $SWITCHBOARD_TOKEN, or the saved login's)");
}

export function clientFrom(flags: ConnectionFlags): HttpClient {
  const server = resolveServer(flags.server);
  return createHttpClient({
    server,
    token: resolveToken(flags.token, server),
    onRetry: (ms, status) => process.stderr.write(`the server is busy (HTTP ${status}); trying again in ${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s\n`),
  });
}
