"use client";
// A template's definition: its source (read-only, or editable with live validation) beside a
// live graph of the steps it expands to with default parameters. Saving applies the source as a
// new version: admins only (others get no button, and the server refuses them anyway).
import { useEffect, useMemo, useRef, useState } from "react";
import type { TemplateVersionView } from "@/lib/api";
import { useCan } from "@/lib/client/use-can";
import { useMediaQuery } from "@/lib/client/use-media-query";
import { useSaveTemplate, useTemplateValidation } from "@/lib/client/use-workflows";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { PreviewGraph } from "./preview-graph";
import type { PreviewStep } from "./step-graph";
import { SourceEditor } from "./source-editor";
import { detectFormat, issueLocation } from "./template-source";

function Issues({ issues }: { issues: { step: string | null; path: string; message: string }[] }) {
  return (
    <ul className="space-y-1.5" data-testid="template-issues" data-count={issues.length}>
      {issues.map((i, k) => (
        <li key={k} data-testid="template-issue" data-step={i.step ?? undefined} data-path={i.path} className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-1.5 text-sm">
          <span className="font-mono text-xs text-red-700 dark:text-red-300">{issueLocation(i)}</span>
          <p className="break-words">{i.message}</p>
        </li>
      ))}
    </ul>
  );
}

export function TemplateEditor({
  initialSource,
  readOnly = false,
  onSaved,
  onCancel,
}: {
  initialSource: string;
  readOnly?: boolean;
  onSaved?: (version: TemplateVersionView) => void;
  onCancel?: () => void;
}) {
  const [source, setSource] = useState(initialSource);
  useEffect(() => setSource(initialSource), [initialSource]);
  const format = detectFormat(source);
  const { result, error, pending } = useTemplateValidation(source, format);
  const save = useSaveTemplate();
  const maySave = useCan("admin");

  // Keep showing the last graph that validated while the text is mid-edit.
  const lastGraph = useRef<PreviewStep[]>([]);
  const graph = useMemo(() => (result?.ok ? (lastGraph.current = result.graph) : lastGraph.current), [result]);
  const stale = !result?.ok;
  const dirty = source !== initialSource;
  const canSave = !readOnly && maySave && result?.ok === true && !pending && !save.isPending;
  const wide = useMediaQuery("(min-width: 1280px)");

  const preview = (
    <div className="min-w-0">
      <div className="mb-1 text-xs text-muted">Preview{stale && graph.length ? " (last valid version)" : ""}</div>
      <div className={`overflow-hidden rounded-md border border-line bg-surface transition-opacity ${stale && graph.length ? "opacity-50" : ""}`}>
        {graph.length ? (
          // Beside the editor the column is narrow, so the graph runs top to bottom there.
          <PreviewGraph graph={graph} direction={readOnly ? undefined : wide ? "TB" : undefined} bounds={!readOnly && wide ? { min: 320, max: 512 } : { min: 200, max: 600 }} />
        ) : (
          <p className="flex h-40 items-center justify-center text-sm text-muted">{pending ? "Checking…" : "The graph appears here once the template is valid."}</p>
        )}
      </div>
    </div>
  );

  return (
    <div className={readOnly ? "space-y-4" : "grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]"}>
      {readOnly && preview}
      <div className="min-w-0 space-y-3">
        <div className="flex items-center justify-between gap-2 text-xs text-muted">
          <span>
            {format.toUpperCase()}
            {readOnly ? " · read-only" : ""}
          </span>
          <span data-testid="template-validity" data-state={pending ? "checking" : result?.ok ? "valid" : result ? "invalid" : "unknown"}>
            {pending ? "Checking…" : result?.ok ? `Valid · ${result.graph.length} step${result.graph.length === 1 ? "" : "s"} with default parameters` : result ? `${result.issues.length} issue${result.issues.length === 1 ? "" : "s"}` : ""}
          </span>
        </div>
        <SourceEditor value={source} onChange={readOnly ? undefined : setSource} readOnly={readOnly} label="Template source" testId={readOnly ? "template-source" : "template-editor"} className={readOnly ? "h-[24rem]" : "h-[24rem] xl:h-[32rem]"} />
        {result && !result.ok && <Issues issues={result.issues} />}
        {error && <ErrorNotice error={error} title="Could not check the template" />}
        {!readOnly && (
          <div className="space-y-2">
            <ErrorNotice error={save.error} title="Could not save" />
            <div className="flex flex-wrap gap-2">
              {maySave && (
                <Button variant="primary" data-testid="save-template" disabled={!canSave} onClick={() => save.mutate({ source, format }, { onSuccess: (v) => onSaved?.(v) })}>
                  {save.isPending ? "Saving…" : "Save as new version"}
                </Button>
              )}
              {onCancel && (
                <Button variant="ghost" onClick={onCancel}>
                  {dirty ? "Discard changes" : "Close editor"}
                </Button>
              )}
            </div>
          </div>
        )}
      </div>
      {!readOnly && preview}
    </div>
  );
}
