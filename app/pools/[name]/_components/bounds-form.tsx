"use client";
// What operators may change: min and max (raise max during an incident), and pausing. Checked as
// typed; the server's refusal, if any, shows beside the field it names. The page refetches every
// 2 s, so the inputs keep what was typed and take the pool's values only after a save.
import { useState, type FormEvent } from "react";
import type { PoolView } from "@/lib/api/pools";
import { errorMessage } from "@/lib/client/error-message";
import { useSetPoolBounds } from "@/lib/client/use-pools";
import { Button } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { formProblem, type FormProblem } from "@/components/alerts/form-problem";
import { NumberField } from "@/components/form-fields";
import { checkBounds } from "@/components/pools/pool-bounds";

const LABELS = { min: "Min agents", max: "Max agents" } as const;

export function BoundsForm({ pool: p }: { pool: PoolView }) {
  const save = useSetPoolBounds();
  const pause = useSetPoolBounds();
  const [min, setMin] = useState(String(p.policy.min));
  const [max, setMax] = useState(String(p.policy.max));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const err = (f: "min" | "max") => (problem?.field === f ? problem.text : null);
  const dirty = min.trim() !== String(p.policy.min) || max.trim() !== String(p.policy.max);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    const r = checkBounds(min, max);
    if (!r.ok) return setProblem({ field: r.field, text: r.text, sentence: `${LABELS[r.field]}: ${r.text}.` });
    setProblem(null);
    save.mutate(
      { id: p.id, ...r.value },
      {
        onSuccess: (v) => {
          setMin(String(v.policy.min));
          setMax(String(v.policy.max));
          setSaved(`Saved: min ${v.policy.min}, max ${v.policy.max}.`);
        },
        onError: (error) => {
          const fp = formProblem(errorMessage(error), { min: LABELS.min, max: LABELS.max });
          setProblem(fp);
        },
      },
    );
  }

  const togglePause = () => pause.mutate({ id: p.id, min: p.policy.min, max: p.policy.max, enabled: !p.enabled });
  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} noValidate aria-label="Bounds" className="space-y-3" data-testid="bounds-form">
        <div className="grid grid-cols-2 gap-3">
          <NumberField label={LABELS.min} inputMode="numeric" value={min} onChange={(e) => setMin(e.target.value)} error={err("min")} testId="bounds-min" />
          <NumberField label={LABELS.max} inputMode="numeric" value={max} onChange={(e) => setMax(e.target.value)} error={err("max")} testId="bounds-max" />
        </div>
        <ErrorNotice error={problem?.sentence} title="Not saved" />
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" disabled={save.isPending || !dirty} data-testid="bounds-save">
            {save.isPending ? "Saving…" : "Save bounds"}
          </Button>
          <p role="status" className="text-sm text-muted" data-testid="bounds-saved">
            {saved}
          </p>
        </div>
      </form>
      <div className="flex flex-wrap items-center gap-2 border-t border-line pt-3">
        {p.enabled ? (
          <ConfirmButton question="Pause it? Its agents are stopped." confirmLabel="Pause" onConfirm={togglePause} pending={pause.isPending} testId="pool-pause">
            Pause pool
          </ConfirmButton>
        ) : (
          <Button onClick={togglePause} disabled={pause.isPending} data-testid="pool-resume">
            Resume pool
          </Button>
        )}
        <ErrorNotice error={pause.error} title="Not changed" />
      </div>
    </div>
  );
}
