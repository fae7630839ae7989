// The submit form's text fields, checked and turned into a task spec. Mirrors taskSpecSchema's
// limits so mistakes are shown next to the field before a round trip; the server still validates.
import type { TaskSpecInput } from "@/lib/protocol";

export interface TaskFormValues {
  title: string;
  command: string;
  payload: string;
  requires: string[];
  labels: string[];
  priority: string;
  strategy: string;
  timeoutSeconds: string;
  maxAttempts: string;
  backoffMs: string;
  idempotencyKey: string;
}

export type TaskFormErrors = Partial<Record<keyof TaskFormValues, string>>;

export const emptyTaskForm: TaskFormValues = {
  title: "",
  command: "",
  payload: "",
  requires: [],
  labels: [],
  priority: "0",
  strategy: "",
  timeoutSeconds: "",
  maxAttempts: "3",
  backoffMs: "1000",
  idempotencyKey: "",
};

const CAPABILITY = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?::(\d+))?$/;

/** "typescript:3" or "shell" → null if valid, else what is wrong. */
export function capabilityProblem(text: string): string | null {
  const m = CAPABILITY.exec(text.trim());
  if (!m) return `"${text}" is not a capability: use name or name:level, e.g. typescript:3`;
  if (m[1].length > 64) return "Capability names are at most 64 characters.";
  if (m[2] && (Number(m[2]) < 1 || Number(m[2]) > 5)) return "Levels go from 1 to 5.";
  return null;
}

/** "shell" → "shell:1", so chips always show the level. */
export const normalizeCapability = (text: string) => (text.includes(":") ? text.trim() : `${text.trim()}:1`);

/** "region=eu" → null if valid, else what is wrong. */
export function labelProblem(text: string): string | null {
  const i = text.indexOf("=");
  if (i <= 0) return `"${text}" is not a label: use key=value, e.g. region=eu`;
  if (i > 64) return "Label keys are at most 64 characters.";
  if (text.length - i - 1 > 200) return "Label values are at most 200 characters.";
  return null;
}

/** Where JSON.parse failed, as a sentence. */
export function jsonProblem(text: string): string | null {
  if (!text.trim()) return null;
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return `Payload is not valid JSON: ${(e as Error).message}`;
  }
}

function intIn(text: string, min: number, max: number): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export function buildTaskSpec(v: TaskFormValues): { spec: TaskSpecInput; errors?: undefined } | { spec?: undefined; errors: TaskFormErrors } {
  const errors: TaskFormErrors = {};
  const title = v.title.trim();
  if (!title) errors.title = "Give the task a title.";
  else if (title.length > 200) errors.title = "Titles are at most 200 characters.";
  if (v.command.length > 8000) errors.command = "Commands are at most 8,000 characters.";
  const payloadProblem = jsonProblem(v.payload);
  if (payloadProblem) errors.payload = payloadProblem;
  const capProblem = v.requires.map(capabilityProblem).find(Boolean);
  if (capProblem) errors.requires = capProblem;
  const lblProblem = v.labels.map(labelProblem).find(Boolean);
  if (lblProblem) errors.labels = lblProblem;
  const priority = intIn(v.priority || "0", -1000, 1000);
  if (priority === null) errors.priority = "Priority is a whole number from -1000 to 1000.";
  let timeoutMs: number | undefined;
  if (v.timeoutSeconds.trim()) {
    const s = Number(v.timeoutSeconds);
    if (!Number.isFinite(s) || s < 0.1 || s > 7 * 24 * 3600) errors.timeoutSeconds = "Timeout is between 0.1 seconds and 7 days.";
    else timeoutMs = Math.round(s * 1000);
  }
  const maxAttempts = intIn(v.maxAttempts || "3", 1, 100);
  if (maxAttempts === null) errors.maxAttempts = "Attempts is a whole number from 1 to 100.";
  const backoffMs = intIn(v.backoffMs || "0", 0, 3_600_000);
  if (backoffMs === null) errors.backoffMs = "Backoff is a whole number of milliseconds up to 3,600,000 (one hour).";
  if (v.idempotencyKey.length > 200) errors.idempotencyKey = "Idempotency keys are at most 200 characters.";
  if (Object.keys(errors).length) return { errors };

  const spec: TaskSpecInput = {
    title,
    requires: v.requires,
    labels: Object.fromEntries(v.labels.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)])),
    priority: priority!,
    retry: { maxAttempts: maxAttempts!, backoffMs: backoffMs! },
  };
  if (v.command.trim()) spec.command = v.command;
  if (v.payload.trim()) spec.payload = JSON.parse(v.payload);
  if (v.strategy) spec.strategy = v.strategy as NonNullable<TaskSpecInput["strategy"]>;
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  if (v.idempotencyKey.trim()) spec.idempotencyKey = v.idempotencyKey.trim();
  return { spec };
}
