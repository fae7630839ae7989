// A refused save, back on the form: the server answers one sentence that names the field in API
// terms ("Invalid request: params.targetMs: must be at least 1000."); the form shows it beside
// that field, in the form's words and units ("Wait over: must be at least 1 s"). Pure.
import { humanDuration } from "./duration-fields";

export interface FormProblem {
  /** The form field (an API path such as `params.windowMs`) it is about, or null. */
  field: string | null;
  /** What to show beside that field. */
  text: string;
  /** The whole sentence, for the notice under the form. */
  sentence: string;
}

const ISSUE = /^([A-Za-z_][\w]*(?:\.[\w]+)*): (.+)$/s;

/** Milliseconds in the text read as durations; a ratio as a percentage. */
function inFormUnits(field: string, text: string): string {
  if (/Ms$/.test(field)) {
    return text.replace(/\s*\((?:one minute|one hour|one day)\)/g, "").replace(/\b\d{3,}\b/g, (n) => humanDuration(Number(n)));
  }
  if (field === "params.threshold") return text.replace(/\b(0(?:\.\d+)?|1)\b/g, (n) => `${Math.round(Number(n) * 1000) / 10} %`);
  return text;
}

/**
 * Where the message points: the longest of `labels`' keys that is its path or a prefix of it
 * (`labels.team` → `labels`, `to.0` → `to`).
 */
export function formProblem(message: string, labels: Readonly<Record<string, string>>): FormProblem {
  const body = message.replace(/^Invalid request:\s*/, "").replace(/\.$/, "");
  const first = body.split("; ")[0];
  const m = ISSUE.exec(first);
  if (!m) return { field: null, text: message, sentence: message };
  const path = m[1];
  const field =
    Object.keys(labels)
      .filter((k) => path === k || path.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0] ?? null;
  if (!field) return { field: null, text: message, sentence: message };
  const text = inFormUnits(field, m[2]);
  const more = body.includes("; ") ? " (and more)" : "";
  return { field, text, sentence: `${labels[field]}: ${text}${more}.` };
}
