import { errorMessage } from "@/lib/client/error-message";

/** A failed request, as the sentence the server (or the client) gave for it. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
      {title && <span className="font-medium">{title}: </span>}
      {typeof error === "string" ? error : errorMessage(error)}
    </div>
  );
}
