"use client";
// A plain textarea for YAML/JSON with a line-number gutter. No wrapping, so a number always sits
// beside its line; Tab indents by two spaces instead of leaving the field.
import { useMemo, useRef, type KeyboardEvent } from "react";
import { lineCount } from "./template-source";

// 16 px on phones: smaller text makes iOS zoom in on focus.
const LINE = "text-base leading-6 sm:text-[13px] sm:leading-5";

export function SourceEditor({ value, onChange, readOnly = false, label, testId, className = "h-[28rem]" }: { value: string; onChange?: (v: string) => void; readOnly?: boolean; label: string; testId?: string; className?: string }) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = lineCount(value);
  const numbers = useMemo(() => Array.from({ length: lines }, (_, i) => i + 1).join("\n"), [lines]);

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (readOnly || e.key !== "Tab" || e.shiftKey || e.altKey || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    const el = e.currentTarget;
    const { selectionStart: start, selectionEnd: end } = el;
    onChange?.(value.slice(0, start) + "  " + value.slice(end));
    requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
  }

  return (
    <div className={`flex overflow-hidden rounded-md border border-line bg-surface font-mono focus-within:border-accent ${className}`}>
      <div ref={gutter} aria-hidden className={`shrink-0 overflow-hidden border-r border-line bg-surface-2 px-2 py-2 text-right text-muted select-none ${LINE}`}>
        <pre className="pb-8 font-mono">{numbers}</pre>
      </div>
      <textarea
        aria-label={label}
        data-testid={testId}
        value={value}
        readOnly={readOnly}
        onChange={(e) => onChange?.(e.target.value)}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        wrap="off"
        className={`min-w-0 flex-1 resize-none overflow-auto bg-transparent px-3 py-2 whitespace-pre outline-none ${LINE} ${readOnly ? "text-fg/90" : ""}`}
      />
    </div>
  );
}
