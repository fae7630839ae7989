"use client";
import { useEffect, useId, useRef, useState } from "react";
import { AUDIT_OUTCOMES, type AuditFilter, type AuditOutcome } from "@/lib/client/use-audit";
import { inputClass } from "@/components/field";

const TYPING_DEBOUNCE_MS = 300;

type TextKey = "actor" | "action" | "search";

/**
 * Outcome, actor (exact; suggestions from `actors`), action (part of the procedure or route,
 * e.g. `users.` or `cancel`) and a free-text search; the text fields query once typing pauses.
 */
export function AuditFilters({ value, onChange, actors }: { value: AuditFilter; onChange: (f: AuditFilter) => void; actors: string[] }) {
  const [text, setText] = useState<Record<TextKey, string>>({ actor: value.actor ?? "", action: value.action ?? "", search: value.search ?? "" });
  const actorList = useId();
  // The debounce restarts only when the text changes; it reads the latest filter through a ref.
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };

  useEffect(() => {
    const next = { actor: text.actor.trim() || undefined, action: text.action.trim() || undefined, search: text.search.trim() || undefined };
    const cur = latest.current.value;
    if (next.actor === cur.actor && next.action === cur.action && next.search === cur.search) return;
    const t = setTimeout(() => latest.current.onChange({ ...latest.current.value, ...next }), TYPING_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text.actor, text.action, text.search, value.actor, value.action, value.search]);

  const input = (key: TextKey, label: string, placeholder: string, extra = "") => (
    <input
      type="search"
      aria-label={label}
      placeholder={placeholder}
      data-testid={`audit-filter-${key}`}
      value={text[key]}
      onChange={(e) => setText((t) => ({ ...t, [key]: e.target.value }))}
      list={key === "actor" ? actorList : undefined}
      className={`${inputClass} ${extra}`}
    />
  );

  return (
    <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-[9rem_12rem_12rem_minmax(0,1fr)]">
      <select
        aria-label="Outcome"
        data-testid="audit-filter-outcome"
        value={value.outcome ?? ""}
        onChange={(e) => onChange({ ...value, outcome: (e.target.value || undefined) as AuditOutcome | undefined })}
        className={inputClass}
      >
        <option value="">All outcomes</option>
        {AUDIT_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {input("actor", "Actor (exact name)", "Actor (exact)")}
      <datalist id={actorList}>
        {actors.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {input("action", "Action contains", "Action contains…")}
      {input("search", "Search actor, action, target or IP", "Search…")}
    </div>
  );
}
