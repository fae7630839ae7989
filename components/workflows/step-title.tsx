// A step's title with its unresolved `{{ … }}` references as muted chips (see placeholders.ts).
import { titleParts, type KnownValues } from "./placeholders";

export function StepTitle({ title, known }: { title: string; known?: KnownValues }) {
  return (
    <>
      {titleParts(title, known).map((p, i) =>
        p.kind === "text" ? (
          p.text
        ) : (
          <span key={i} data-testid="title-ref" title={`${p.raw} — ${p.hint}`} className="mx-px inline-block max-w-full rounded border border-dashed border-muted/50 bg-surface-2 px-1 align-baseline font-mono text-[0.85em] leading-tight font-normal text-muted">
            {p.label}
          </span>
        ),
      )}
    </>
  );
}
