"use client";
import Link from "next/link";
import { useTemplates } from "@/lib/client/use-workflows";
import { buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Loading, PageHeader } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";

export function TemplateList() {
  const { data: templates, error, isPending } = useTemplates();
  return (
    <>
      <PageHeader
        title="Workflows"
        subtitle="Templates of multi-step runs. Pick one to run it, read it or edit it."
        actions={
          <>
            <Link href="/runs" className={buttonClass("secondary")}>
              All runs
            </Link>
            <IfCan permission="admin">
              <Link href="/workflows/new" className={buttonClass("primary")} data-testid="new-template">
                New template
              </Link>
            </IfCan>
          </>
        }
      />
      <ErrorNotice error={error} title="Could not load templates" />
      {isPending ? (
        <Loading label="Loading templates…" />
      ) : !templates || templates.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted" data-testid="templates-empty">
          No templates yet. Create one to get started.
        </p>
      ) : (
        <ul className="grid gap-2 md:grid-cols-2 xl:grid-cols-3" data-testid="template-list">
          {templates.map((t) => (
            <li key={t.name} data-testid="template-row" data-template-name={t.name} className="flex min-w-0 flex-col rounded-lg border border-line bg-surface p-3">
              <div className="flex min-w-0 items-center gap-2">
                <Link href={`/workflows/${encodeURIComponent(t.name)}`} className="min-w-0 truncate font-semibold hover:underline">
                  {t.name}
                </Link>
                <span className="shrink-0 rounded border border-line px-1.5 py-0.5 text-[11px] font-medium text-muted tabular-nums">v{t.latestVersion}</span>
                {t.builtin && (
                  <span className="shrink-0 rounded border border-indigo-500/40 px-1.5 py-0.5 text-[11px] font-medium text-indigo-700 uppercase dark:text-indigo-300" data-testid="template-builtin">
                    built-in
                  </span>
                )}
              </div>
              <p className="mt-1 line-clamp-2 flex-1 text-sm text-muted">{t.description || "No description."}</p>
              <div className="mt-2 flex items-center gap-2">
                <span className="min-w-0 flex-1 truncate text-xs text-muted">
                  {t.params.length} parameter{t.params.length === 1 ? "" : "s"} · updated <TimeAgo at={t.updatedAt} />
                </span>
                <Link href={`/workflows/${encodeURIComponent(t.name)}`} className={buttonClass("secondary")}>
                  Open
                </Link>
                <IfCan permission="operate">
                  <Link href={`/workflows/${encodeURIComponent(t.name)}?run=1`} className={buttonClass("primary")} data-testid="run-template">
                    Run
                  </Link>
                </IfCan>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
