// Turns whatever a query or mutation threw into the sentence to show. The server's TRPCErrors
// carry a human sentence in `message`; network failures do not, so they get one here.
import { TRPCClientError } from "@trpc/client";

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    if (!err.data && /fetch|network|Failed to/i.test(err.message)) return "Cannot reach the Switchboard server. Check that it is running, then try again.";
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorCode(err: unknown): string | undefined {
  if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
  return undefined;
}
