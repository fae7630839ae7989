/** Reads and writes apart at a glance: GET green, POST blue, PUT and PATCH amber, DELETE red. */
const TONE: Record<string, string> = {
  GET: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  POST: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
  PUT: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
  PATCH: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
  DELETE: "bg-red-500/15 text-red-700 dark:text-red-300",
};

export function MethodChip({ method, size = "md" }: { method: string; size?: "sm" | "md" }) {
  return (
    <span
      data-testid="method-chip"
      className={`inline-flex shrink-0 items-center justify-center rounded font-mono font-semibold tracking-wide ${size === "sm" ? "w-12 py-px text-[10px]" : "w-16 py-0.5 text-xs"} ${TONE[method] ?? "bg-zinc-500/15 text-zinc-700 dark:text-zinc-300"}`}
    >
      {method}
    </span>
  );
}
