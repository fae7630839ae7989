import { inlineCode } from "./api-reference";

/** The document's prose, with its `code` spans set in monospace. */
export function InlineText({ text }: { text: string }) {
  return (
    <>
      {inlineCode(text).map((part, i) =>
        part.code ? (
          <code key={i} className="rounded bg-surface-2 px-1 py-px font-mono text-[0.9em] break-words">
            {part.text}
          </code>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
