import type { WaitingExplanation } from "@/lib/api";
import { TimeAgo } from "@/components/time-ago";

const TITLE: Record<WaitingExplanation["code"], string> = {
  backoff: "Waiting to retry",
  no_capable_agent: "No agent can run this task",
  label_mismatch: "No agent has the required labels",
  not_accepted: "No matching agent runs tasks from this submitter",
  agents_offline: "Capable agents are offline",
  all_busy: "All capable agents are busy",
  queued_behind: "Queued behind other tasks",
  ready: "Ready to be assigned",
};

const TONE: Record<WaitingExplanation["code"], string> = {
  backoff: "border-amber-500/40 bg-amber-500/10",
  no_capable_agent: "border-red-500/40 bg-red-500/10",
  label_mismatch: "border-red-500/40 bg-red-500/10",
  not_accepted: "border-red-500/40 bg-red-500/10",
  agents_offline: "border-amber-500/40 bg-amber-500/10",
  all_busy: "border-sky-500/40 bg-sky-500/10",
  queued_behind: "border-sky-500/40 bg-sky-500/10",
  ready: "border-emerald-500/40 bg-emerald-500/10",
};

/** "Why is this task waiting?" — the server's sentence, with the retry time for a backoff. */
export function WhyWaiting({ waiting, notBefore }: { waiting: WaitingExplanation; notBefore: number | null }) {
  return (
    <section data-testid="why-waiting" data-code={waiting.code} className={`rounded-lg border px-4 py-3 ${TONE[waiting.code]}`}>
      <h2 className="text-sm font-semibold">Why waiting: {TITLE[waiting.code] ?? waiting.code}</h2>
      <p className="mt-1 text-sm">{waiting.message}</p>
      {waiting.code === "backoff" && notBefore && (
        <p className="mt-1 text-xs text-muted">
          Eligible again at {new Date(notBefore).toLocaleTimeString()} (<TimeAgo at={notBefore} />
          ).
        </p>
      )}
    </section>
  );
}
