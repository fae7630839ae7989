// How an alert reads on the page: which list it is in, the silence that would cover it, its
// labels worth showing. Pure.
import type { AlertView } from "@/lib/api";

export type AlertSection = "firing" | "pending" | "silenced" | "resolved";

export function sectionOf(a: Pick<AlertView, "phase" | "silencedBy">): AlertSection {
  if (a.phase === "resolved") return "resolved";
  if (a.silencedBy.length) return "silenced";
  return a.phase;
}

/** Labels that say which alert this is (alertname and severity are shown on their own). */
export const identifyingLabels = (labels: Record<string, string>) => Object.entries(labels).filter(([k]) => k !== "alertname" && k !== "severity");

const quote = (v: string) => v.replace(/(["\\])/g, "\\$1");

/** A silence for exactly this alert: its name and identifying labels, matched exactly. */
export function matchersFor(labels: Record<string, string>): string[] {
  return [`alertname="${quote(labels.alertname ?? "")}"`, ...identifyingLabels(labels).map(([k, v]) => `${k}="${quote(v)}"`)];
}

export const SEVERITY_TONE: Record<AlertView["severity"], string> = {
  critical: "bg-red-600 text-white",
  warning: "bg-amber-500 text-black",
  info: "bg-sky-700 text-white", // sky-600 is 4.1:1 against white text, under AA for 12 px
};
