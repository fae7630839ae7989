import type { ParameterView } from "./api-reference";
import { InlineText } from "./inline-text";
import { EnumValues } from "./schema-view";

/** Path and query parameters: one row each, a table's columns from sm up, stacked on a phone. */
export function ParameterList({ parameters }: { parameters: ParameterView[] }) {
  return (
    <ul className="divide-y divide-line rounded-md border border-line" data-testid="api-parameters">
      {parameters.map((p) => (
        <li key={`${p.in}:${p.name}`} data-testid="api-parameter" data-name={p.name} className="px-3 py-2 sm:grid sm:grid-cols-[minmax(0,10rem)_minmax(0,1fr)] sm:gap-3">
          <div className="min-w-0">
            <span className="font-mono text-sm font-medium break-all">{p.name}</span>
            <span className="ml-2 text-xs text-muted">{p.in}</span>
          </div>
          <div className="min-w-0 space-y-1 text-xs">
            <p>
              <span className="font-mono break-words text-violet-700 dark:text-violet-300">{p.type}</span>
              {p.required ? <span className="ml-2 font-medium text-red-700 dark:text-red-300">required</span> : <span className="ml-2 text-muted">optional</span>}
            </p>
            {p.enumValues && (
              <div className="flex flex-wrap items-baseline gap-1.5 text-muted">
                <span>One of</span>
                <EnumValues values={p.enumValues} />
              </div>
            )}
            {p.constraints.length > 0 && <p className="font-mono break-words text-muted">{p.constraints.join(" · ")}</p>}
            {p.description && (
              <p className="text-sm">
                <InlineText text={p.description} />
              </p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
