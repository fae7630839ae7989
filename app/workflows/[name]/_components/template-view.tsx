"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { TemplateVersionView } from "@/lib/api";
import { formatTimestamp } from "@/lib/client/format";
import { useCan } from "@/lib/client/use-can";
import { useTemplate } from "@/lib/client/use-workflows";
import { Button, buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { TemplateEditor } from "@/components/workflows/template-editor";
import { TriggerForm } from "./trigger-form";

/** The viewed version lives in the address bar (`?version=`). */
function useVersionInUrl(version: number | undefined) {
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    params.delete("run");
    if (version) params.set("version", String(version));
    else params.delete("version");
    const qs = params.toString();
    const url = qs ? `${window.location.pathname}?${qs}` : window.location.pathname;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
  }, [version]);
}

export function TemplateView({ name, initialVersion, focusRun }: { name: string; initialVersion?: number; focusRun: boolean }) {
  const router = useRouter();
  const [version, setVersion] = useState(initialVersion);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useVersionInUrl(version);
  const { data, error, isPending, isPlaceholderData } = useTemplate(name, version);
  const mayRun = useCan("operate");
  const mayEdit = useCan("admin");

  if (isPending) return <Loading label="Loading template…" />;
  if (error || !data) {
    return (
      <div className="space-y-4">
        <ErrorNotice error={error ?? "This template was not found."} />
        <Link href="/workflows" className={buttonClass("secondary")}>
          Back to workflows
        </Link>
      </div>
    );
  }

  const { template, version: viewed, versions } = data;
  const latest = template.latestVersion;
  const old = viewed.version !== latest;

  function onSaved(v: TemplateVersionView) {
    setEditing(false);
    if (v.name !== name) {
      router.push(`/workflows/${encodeURIComponent(v.name)}`);
      return;
    }
    setNotice(v.version > latest ? `Saved as version ${v.version}.` : `No changes to save: version ${v.version} is the latest.`);
    setVersion(undefined);
  }

  return (
    <div className={`space-y-4 transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`} data-testid="template-detail" data-template-name={name} data-version={viewed.version}>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {template.name}
            <span className="rounded border border-line px-1.5 py-0.5 text-xs font-medium text-muted tabular-nums">v{viewed.version}</span>
            {template.builtin && <span className="rounded border border-indigo-500/40 px-1.5 py-0.5 text-xs font-medium text-indigo-700 uppercase dark:text-indigo-300">built-in</span>}
          </span>
        }
        subtitle={template.description || undefined}
        actions={
          <>
            <Link href={`/runs?template=${encodeURIComponent(name)}`} className={buttonClass("secondary")}>
              Runs
            </Link>
            {mayEdit && !editing && (
              <Button
                data-testid="edit-template"
                onClick={() => {
                  setNotice(null);
                  setEditing(true);
                }}
              >
                Edit
              </Button>
            )}
          </>
        }
      />
      {notice && (
        <div role="status" data-testid="template-notice" className="rounded-md border border-emerald-500/40 bg-emerald-500/10 px-3 py-2 text-sm">
          {notice}
        </div>
      )}
      {old && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm">
          You are looking at version {viewed.version}; the latest is {latest}.
          <Button variant="ghost" className="ml-auto" onClick={() => setVersion(undefined)}>
            Show the latest
          </Button>
        </div>
      )}

      <div className="grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <div className="min-w-0 space-y-4">
          {mayRun && (
            <Panel title={old ? `Run version ${viewed.version}` : "Run"}>
              <TriggerForm templateName={name} version={old ? viewed.version : undefined} params={viewed.definition.params} autoFocus={focusRun} />
            </Panel>
          )}
          <Panel title="Versions" className="hidden lg:block">
            <VersionList versions={versions} viewed={viewed.version} latest={latest} onSelect={setVersion} />
          </Panel>
        </div>
        <div className="min-w-0 space-y-4">
          <Panel title={editing ? "Edit" : "Definition"} actions={<span className="text-xs text-muted">v{viewed.version} · {viewed.createdBy} · {formatTimestamp(viewed.createdAt)}</span>}>
            {editing && mayEdit ? (
              <TemplateEditor initialSource={viewed.source} onSaved={onSaved} onCancel={() => setEditing(false)} />
            ) : (
              <TemplateEditor key={viewed.version} initialSource={viewed.source} readOnly />
            )}
          </Panel>
          <Panel title="Versions" className="lg:hidden">
            <VersionList versions={versions} viewed={viewed.version} latest={latest} onSelect={setVersion} />
          </Panel>
        </div>
      </div>
    </div>
  );
}

function VersionList({ versions, viewed, latest, onSelect }: { versions: { version: number; createdAt: number; createdBy: string }[]; viewed: number; latest: number; onSelect: (v: number | undefined) => void }) {
  return (
    <ol className="-mx-2 max-h-80 overflow-y-auto" data-testid="template-versions">
      {[...versions]
        .sort((a, b) => b.version - a.version)
        .map((v) => (
          <li key={v.version}>
            <button
              type="button"
              data-testid="template-version"
              data-version={v.version}
              aria-current={v.version === viewed ? "true" : undefined}
              onClick={() => onSelect(v.version === latest ? undefined : v.version)}
              className={`flex min-h-11 w-full items-center gap-2 rounded-md px-2 text-left text-sm hover:bg-surface-2 ${v.version === viewed ? "bg-surface-2 font-medium" : ""}`}
            >
              <span className="w-10 shrink-0 tabular-nums">v{v.version}</span>
              <span className="min-w-0 flex-1 truncate text-muted">
                {v.createdBy} · {formatTimestamp(v.createdAt)}
              </span>
              {v.version === latest && <span className="shrink-0 text-xs text-emerald-800 dark:text-emerald-300">latest</span>}
            </button>
          </li>
        ))}
    </ol>
  );
}
