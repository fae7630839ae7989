"use client";
import { useMemo, useState } from "react";
import type { JsonSchema } from "@/lib/client/openapi-document";
import { Chevron } from "./chevron";
import { InlineText } from "./inline-text";
import { schemaTree, type SchemaNode } from "./schema-tree";

/** Allowed values as chips (JSON: strings keep their quotes). */
export function EnumValues({ values }: { values: string[] }) {
  return (
    <span className="inline-flex flex-wrap gap-1" data-testid="schema-enum">
      {values.map((v) => (
        <code key={v} className="rounded border border-line bg-surface-2 px-1 py-px font-mono text-[11px] text-fg break-all">
          {v}
        </code>
      ))}
    </span>
  );
}

/** The line under a name: description, allowed values, limits. */
function Notes({ node }: { node: SchemaNode }) {
  if (!node.description && !node.enumValues && node.constraints.length === 0 && !node.recursive) return null;
  return (
    <div className="mt-0.5 space-y-1 pl-5 text-xs text-muted">
      {node.description && (
        <p className="text-sm text-fg/85">
          <InlineText text={node.description} />
        </p>
      )}
      {node.enumValues && (
        <div className="flex flex-wrap items-baseline gap-1.5">
          <span>{node.enumValues.length === 1 ? "Always" : "One of"}</span>
          <EnumValues values={node.enumValues} />
        </div>
      )}
      {node.constraints.length > 0 && <p className="font-mono break-words">{node.constraints.join(" · ")}</p>}
      {node.recursive && <p>Recursive: the same {node.type} as above, not expanded again.</p>}
    </div>
  );
}

const countLabel = (node: SchemaNode) => {
  const n = node.children.length;
  const variants = node.children.every((c) => c.name === null);
  return variants ? `${n} options` : `${n} ${n === 1 ? "field" : "fields"}`;
};

function SchemaRow({ node, allOpen }: { node: SchemaNode; allOpen: boolean }) {
  const [open, setOpen] = useState(allOpen);
  const expandable = node.children.length > 0;
  const name = node.name ?? node.label ?? "value";
  // An option's label already says it is an object (`{ title, … }`) or names its component.
  const showType = !(node.name === null && (node.type === "object" || (node.ref && node.label?.endsWith(node.ref))));
  return (
    <li data-testid="schema-property" data-name={name} className="border-t border-line py-1.5 first:border-t-0">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
        {expandable ? (
          <button
            type="button"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
            data-testid="schema-toggle"
            className="-ml-1 inline-flex min-h-7 items-center gap-1 rounded px-1 text-left font-mono text-sm font-medium break-all hover:bg-surface-2"
          >
            <Chevron open={open} closed="right" className="size-3.5 text-muted" />
            {name}
            <span className="sr-only">, {countLabel(node)}</span>
          </button>
        ) : (
          <span className={`pl-5 font-mono text-sm break-all ${node.name === null ? "text-muted" : "font-medium"}`}>{name}</span>
        )}
        {showType && (
          <span className="font-mono text-xs break-words text-violet-700 dark:text-violet-300" data-testid="schema-type">
            {node.type}
            {node.nullable && " or null"}
          </span>
        )}
        {node.required && (
          <span className="text-xs font-medium text-red-700 dark:text-red-300" data-testid="schema-required">
            required
          </span>
        )}
        {expandable && !open && (
          <span aria-hidden className="text-xs text-muted">
            {countLabel(node)}
          </span>
        )}
      </div>
      <Notes node={node} />
      {expandable && open && <SchemaRows nodes={node.children} allOpen={allOpen} nested />}
    </li>
  );
}

function SchemaRows({ nodes, allOpen, nested = false }: { nodes: SchemaNode[]; allOpen: boolean; nested?: boolean }) {
  return (
    <ul className={nested ? "mt-1 ml-2 border-l border-line pl-3" : ""}>
      {nodes.map((n) => (
        <SchemaRow key={n.key} node={n} allOpen={allOpen} />
      ))}
    </ul>
  );
}

/**
 * A schema as a tree: the root's fields (or a union's options) listed, anything nested folded
 * until asked for. "Expand all" opens every level at once (a reference to a schema already open
 * above stays folded, so this ends).
 */
export function SchemaView({ schema, schemas, testId }: { schema: JsonSchema; schemas: Record<string, JsonSchema>; testId?: string }) {
  const root = useMemo(() => schemaTree(schema, schemas), [schema, schemas]);
  // Remounting the rows with a new key applies "expand all" or "collapse all" to every level.
  const [mode, setMode] = useState<{ allOpen: boolean; generation: number }>({ allOpen: false, generation: 0 });
  const nested = root.children.some((c) => c.children.length > 0);
  return (
    <div data-testid={testId} className="min-w-0 rounded-md border border-line">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-line bg-surface-2/60 px-3 py-1.5">
        <span className="font-mono text-xs break-all">
          <span className="font-semibold">{root.ref && root.ref !== root.type ? `${root.ref} · ${root.type}` : root.type}</span>
          {root.nullable && " or null"}
        </span>
        {nested && (
          <button type="button" onClick={() => setMode((m) => ({ allOpen: !m.allOpen, generation: m.generation + 1 }))} className="min-h-8 rounded px-2 text-xs font-medium text-accent hover:bg-surface-2">
            {mode.allOpen ? "Collapse all" : "Expand all"}
          </button>
        )}
      </div>
      <div className="px-3 py-1.5">
        {root.children.length > 0 ? (
          <SchemaRows key={mode.generation} nodes={root.children} allOpen={mode.allOpen} />
        ) : (
          <div className="py-1 text-sm text-muted">
            {root.description || root.enumValues || root.constraints.length ? <Notes node={{ ...root }} /> : root.type === "any" ? "Any JSON value." : "No fields."}
          </div>
        )}
      </div>
    </div>
  );
}
