import type { Capability } from "@/lib/protocol";

const chip = "inline-flex max-w-full items-center rounded border border-line bg-surface-2 px-1.5 py-0.5 font-mono text-xs break-all";

/** Capabilities as "name:level" chips. */
export function CapabilityChips({ items, empty = "none" }: { items: Capability[]; empty?: string }) {
  if (items.length === 0) return <span className="text-sm text-muted">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {items.map((c) => (
        <li key={c.name} className={chip} title={`level ${c.level} of 5`}>
          {c.name}
          <span className="text-muted">:{c.level}</span>
        </li>
      ))}
    </ul>
  );
}

/** Labels as "key=value" chips. */
export function LabelChips({ labels, empty = "none" }: { labels: Record<string, string>; empty?: string }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="text-sm text-muted">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {entries.map(([k, v]) => (
        <li key={k} className={chip}>
          {k}
          <span className="text-muted">={v}</span>
        </li>
      ))}
    </ul>
  );
}
