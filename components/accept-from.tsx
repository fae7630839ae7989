const rule = "rounded border border-line bg-surface-2 px-1 py-px font-mono text-xs break-words";

/**
 * Whose tasks the agent runs (its `--accept-from` rules): "Runs tasks from: role:admin,
 * workflow:release-train", or "Runs anyone's tasks" when it has none.
 */
export function AcceptFrom({ rules }: { rules: readonly string[] }) {
  if (rules.length === 0) {
    return (
      <p data-testid="agent-accept-from" data-rules="" className="text-sm">
        Runs anyone&rsquo;s tasks
      </p>
    );
  }
  return (
    <p data-testid="agent-accept-from" data-rules={rules.join(" ")} className="text-sm leading-6">
      Runs tasks from:{" "}
      {rules.map((r, i) => (
        <span key={r}>
          <code className={rule}>{r}</code>
          {i < rules.length - 1 && ", "}
        </span>
      ))}
    </p>
  );
}

/** The same on a tile, in a few characters: "from role:admin +1"; nothing when it runs anyone's. */
export function AcceptFromCompact({ rules }: { rules: readonly string[] }) {
  if (rules.length === 0) return null;
  const more = rules.length - 1;
  return (
    <span data-testid="agent-accept-from" data-rules={rules.join(" ")} title={`Runs tasks from: ${rules.join(", ")}`} className="min-w-0 max-w-full truncate">
      <span aria-hidden>
        from <span className="font-mono">{rules[0]}</span>
        {more > 0 && ` +${more}`}
      </span>
      <span className="sr-only">Runs tasks from: {rules.join(", ")}</span>
    </span>
  );
}
