// Titles of steps that have not started still hold their `{{ … }}` references (the server fills
// them in when the step starts, since they read results of earlier steps). Raw they read like
// template source — "Merge {{steps.plan.result.branch}}" — so the dashboard shows each reference
// as a short muted chip ("plan.branch") with the full reference as its tooltip. Pure; tested.

export type TitlePart = { kind: "text"; text: string } | { kind: "ref"; label: string; raw: string; hint: string };

// Same shape as the server's matcher (server/core/workflow/interpolate.ts): no braces inside, so
// matching stays linear on hostile input.
const REFERENCE = /\{\{([^{}]*)\}\}/g;

/** "steps.plan.result.branch" → ["steps", "plan", "result", "branch"]; bracketed keys as segments. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const m of path.matchAll(/([^.[\]\s]+)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([0-9]+))\s*\]/g)) out.push(m[1] ?? m[4] ?? (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1"));
  return out;
}

/** A short name for a reference, and a sentence saying when it gets its value. */
export function describeReference(inner: string): { label: string; hint: string } {
  const path = segments(inner.trim());
  const [root, ...rest] = path;
  if (root === "steps" && rest.length > 0) {
    const [step, field, ...deeper] = rest;
    const hint = `filled in from step ${step} once it has finished`;
    // The result is what references read almost always: leave the word out, keep what is inside it.
    if (field === "result" || field === undefined) return { label: deeper.length ? `${step}.${deeper.join(".")}` : `${step} result`, hint };
    return { label: `${step}.${[field, ...deeper].join(".")}`, hint };
  }
  if (root === "params" && rest.length > 0) return { label: rest.join("."), hint: "a parameter of the run" };
  if (root === "index" && rest.length === 0) return { label: "#", hint: "the copy's number in its fan-out" };
  if (root === "run" && rest.length > 0) return { label: `run ${rest.join(".")}`, hint: "a property of the run" };
  return { label: path.join(".") || "…", hint: "filled in when the step starts" };
}

/** What the browser knows itself: a fan-out copy's number. */
export interface KnownValues {
  index?: number | null;
}

/**
 * The title cut into plain text and references, in order; a title without references is one
 * text part. References to `known` values are written in as text.
 */
export function titleParts(title: string, known: KnownValues = {}): TitlePart[] {
  const parts: TitlePart[] = [];
  const text = (t: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === "text") last.text += t;
    else parts.push({ kind: "text", text: t });
  };
  let at = 0;
  for (const m of title.matchAll(REFERENCE)) {
    if (m.index > at) text(title.slice(at, m.index));
    if (m[1].trim() === "index" && known.index != null) text(String(known.index));
    else parts.push({ kind: "ref", raw: m[0], ...describeReference(m[1]) });
    at = m.index + m[0].length;
  }
  if (at < title.length || parts.length === 0) text(title.slice(at));
  return parts;
}

/** The copy number of a fanned-out step (`<template step>_<n>`), or null. */
export function copyIndex(step: { id: string; templateStepId: string }): number | null {
  if (step.id === step.templateStepId || !step.id.startsWith(`${step.templateStepId}_`)) return null;
  const n = step.id.slice(step.templateStepId.length + 1);
  return /^[1-9][0-9]*$/.test(n) ? Number(n) : null;
}

/** The same title as plain text, for tooltips, aria-labels and other places without chips. */
export function titleText(title: string, known: KnownValues = {}): string {
  return titleParts(title, known)
    .map((p) => (p.kind === "text" ? p.text : `‹${p.label}›`))
    .join("");
}

export const hasReferences = (title: string) => titleParts(title).some((p) => p.kind === "ref");
