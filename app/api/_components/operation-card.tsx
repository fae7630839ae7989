"use client";
import type { ReactNode } from "react";
import type { JsonSchema } from "@/lib/client/openapi-document";
import { CopyButton } from "@/components/copy-button";
import type { OperationView } from "./api-reference";
import { Chevron } from "./chevron";
import { InlineText } from "./inline-text";
import { MethodChip } from "./method-chip";
import { ParameterList } from "./parameter-list";
import { SchemaView } from "./schema-view";

function Block({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="min-w-0" data-testid={testId}>
      <div className="mb-1.5 flex min-h-8 flex-wrap items-center justify-between gap-2">
        <h4 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}</h4>
        {aside}
      </div>
      {children}
    </section>
  );
}

function OperationDetails({ op, schemas }: { op: OperationView; schemas: Record<string, JsonSchema> }) {
  const answers = op.responses.filter((r) => r.success);
  const errors = op.responses.filter((r) => !r.success);
  const takes = op.parameters.length > 0 || op.body !== null;
  return (
    <div id={`${op.id}-details`} className="space-y-5 border-t border-line px-3 py-4 sm:px-4">
      <Block title="Who may call it" aside={<a href={`#${op.id}`} className="font-mono text-xs text-muted hover:text-fg" title="Link to this operation">#{op.id}</a>}>
        <p className="text-sm" data-testid="api-operation-permission">
          {op.description ? <InlineText text={op.description} /> : "The document does not say."}
        </p>
      </Block>
      <Block title="Example" aside={<CopyButton text={op.curl} label="Copy curl" testId="copy-curl" />}>
        <pre data-testid="api-curl" tabIndex={0} aria-label={`Example curl command for ${op.method} ${op.path}`} className="overflow-x-auto rounded-md border border-line bg-surface-2 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre">
          {op.curl}
        </pre>
      </Block>
      {/* What it takes beside what it answers, on a wide screen. */}
      <div className={takes ? "grid gap-5 lg:grid-cols-2" : ""}>
        {takes && (
          <div className="min-w-0 space-y-5">
            {op.parameters.length > 0 && (
              <Block title="Parameters">
                <ParameterList parameters={op.parameters} />
              </Block>
            )}
            {op.body && (
              <Block
                title={op.body.required ? "Request body" : "Request body (optional)"}
                aside={<span className="font-mono text-xs break-all text-muted">{op.body.contentTypes.join(" or ")}</span>}
                testId="api-request"
              >
                {op.body.contentTypes.some((t) => /yaml/i.test(t)) && (
                  <p className="mb-2 text-sm text-muted">
                    As JSON below, or the YAML source itself with <code className="font-mono">Content-Type: application/yaml</code>.
                  </p>
                )}
                {op.body.schema ? <SchemaView schema={op.body.schema} schemas={schemas} testId="api-request-schema" /> : <p className="text-sm text-muted">Not described.</p>}
              </Block>
            )}
          </div>
        )}
        <div className="min-w-0 space-y-5">
          {answers.map((r) => (
            <Block key={r.status} title={`Answer · ${r.status}`} testId="api-answer">
              {r.schema ? <SchemaView schema={r.schema} schemas={schemas} testId="api-answer-schema" /> : <p className="text-sm text-muted">{r.description || "No body."}</p>}
            </Block>
          ))}
          {errors.length > 0 && (
            <Block title="When refused">
              <dl className="space-y-1.5 text-sm">
                {errors.map((r) => (
                  <div key={r.status} className="flex gap-3">
                    <dt className="w-10 shrink-0 font-mono text-xs leading-5 font-semibold text-red-700 dark:text-red-300">{r.status}</dt>
                    <dd className="min-w-0">
                      {r.description}
                      {r.schemaName && (
                        <>
                          {" "}
                          <a href="#errors" className="text-accent hover:underline">
                            {r.schemaName} body
                          </a>
                        </>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </Block>
          )}
        </div>
      </div>
    </div>
  );
}

/** One operation: its method, path and summary as a button that opens the rest. */
export function OperationCard({ op, open, onToggle, schemas }: { op: OperationView; open: boolean; onToggle: () => void; schemas: Record<string, JsonSchema> }) {
  return (
    <article id={op.id} data-testid="api-operation" data-operation={op.id} data-open={open || undefined} className="scroll-mt-20 rounded-lg border border-line bg-surface break-words">
      <h3>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${op.id}-details`}
          onClick={onToggle}
          data-testid="api-operation-toggle"
          className="grid min-h-12 w-full min-w-0 grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 rounded-lg px-3 py-2.5 text-left hover:bg-surface-2/60 sm:px-4 md:grid-cols-[auto_auto_minmax(0,1fr)_auto] md:items-baseline"
        >
          <MethodChip method={op.method} />
          <span className="min-w-0 font-mono text-sm font-medium break-all" data-testid="api-operation-path">
            {op.path}
          </span>
          {/* Under the path on a phone, beside it from md up. */}
          <span className="col-span-2 row-start-2 min-w-0 text-sm text-muted md:col-span-1 md:col-start-3 md:row-start-1" data-testid="api-operation-summary">
            <InlineText text={op.summary} />
            {op.deprecated && <span className="ml-2 text-xs font-medium text-amber-700 dark:text-amber-300">deprecated</span>}
          </span>
          <span className="col-start-3 row-start-1 self-center md:col-start-4">
            <Chevron open={open} className="size-4 text-muted" />
          </span>
        </button>
      </h3>
      {open && <OperationDetails op={op} schemas={schemas} />}
    </article>
  );
}
