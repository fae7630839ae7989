import Link from "next/link";
import type { RequeueResult } from "@/lib/client/use-dead-letters";
import { Button } from "@/components/button";

/** What the last requeue did to each task: queued again, or refused with the server's sentence. */
export function RequeueResults({ results, onDismiss }: { results: RequeueResult[]; onDismiss: () => void }) {
  const ok = results.filter((r) => r.ok).length;
  const refused = results.length - ok;
  return (
    <section role="status" data-testid="requeue-results" className="mb-3 rounded-md border border-line bg-surface px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium">
          Requeued {ok} of {results.length}
          {refused > 0 && <span className="text-amber-800 dark:text-amber-300"> · {refused} refused</span>}
        </p>
        <Button variant="ghost" onClick={onDismiss} data-testid="requeue-results-dismiss">
          Dismiss
        </Button>
      </div>
      <ul className="mt-1 max-h-60 space-y-1 overflow-y-auto">
        {results.map((r) => (
          <li key={r.id} data-testid="requeue-result" data-task-id={r.id} data-ok={r.ok} className="min-w-0 break-words">
            <Link href={`/tasks/${encodeURIComponent(r.id)}`} className="font-mono text-xs break-all text-accent hover:underline">
              {r.id}
            </Link>{" "}
            {r.ok ? <span className="text-emerald-800 dark:text-emerald-300">queued again</span> : <span className="text-amber-800 dark:text-amber-300">{r.message ?? "refused"}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
