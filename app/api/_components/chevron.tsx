/** A disclosure's arrow: down (or right, for tree rows) when closed, turned when open. */
export function Chevron({ open, closed = "down", className = "size-4" }: { open: boolean; closed?: "down" | "right"; className?: string }) {
  const turn = closed === "down" ? (open ? "rotate-180" : "") : open ? "" : "-rotate-90";
  return (
    <svg aria-hidden viewBox="0 0 16 16" className={`shrink-0 transition-transform ${turn} ${className}`} fill="none" stroke="currentColor" strokeWidth="1.75">
      <path d="M4 6l4 4 4-4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
