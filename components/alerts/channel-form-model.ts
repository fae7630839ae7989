// Channels as the page shows them — where they send, whether they sign, which alerts reach them
// ("alerts with severity ≥ warning matching team="ml"; grouped by rule and agent") — and the
// channel form's conversions to and from the API's input. Pure.
import type { ChannelView, channelInput, deliveryOutcomeSchema } from "@/lib/api";
import type { z } from "zod";
import { parseMatchers, formatMatcher } from "@/lib/label-matchers";
import type { Severity } from "./rule-form-model";
import { elapsed } from "./duration-fields";

export type ChannelKind = ChannelView["kind"];
export type ChannelInput = z.input<typeof channelInput>;
export type DeliveryOutcome = z.infer<typeof deliveryOutcomeSchema>;

export const CHANNEL_KINDS: readonly ChannelKind[] = ["webhook", "slack", "email"];
export const CHANNEL_KIND_LABEL: Record<ChannelKind, string> = { webhook: "Webhook", slack: "Slack", email: "E-mail" };

export interface ChannelForm {
  name: string;
  kind: ChannelKind;
  url: string;
  /** Empty: none (new channel) or keep the one it has (edit). */
  secret: string;
  /** Addresses separated by commas, spaces or lines. */
  to: string;
  /** `team="ml", capability=~"gpu|cuda"`. */
  matchers: string;
  minSeverity: Severity;
  /** Label names separated by commas or spaces. */
  groupBy: string;
  enabled: boolean;
}

export const CHANNEL_FIELD_LABELS: Record<string, string> = {
  name: "Name",
  kind: "Kind",
  url: "URL",
  secret: "Signing secret",
  to: "Addresses",
  matchers: "Only alerts matching",
  minSeverity: "Lowest severity",
  groupBy: "Group by labels",
};

export function emptyChannelForm(): ChannelForm {
  return { name: "", kind: "webhook", url: "", secret: "", to: "", matchers: "", minSeverity: "warning", groupBy: "", enabled: true };
}

export function channelToForm(c: ChannelView): ChannelForm {
  return { name: c.name, kind: c.kind, url: c.url, secret: "", to: c.to.join(", "), matchers: c.matchers.join(", "), minSeverity: c.minSeverity, groupBy: c.groupBy.join(", "), enabled: c.enabled };
}

const words = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

/** The matchers typed, one string each as the API takes them, or the sentence saying what is wrong. */
export function matcherList(text: string): string[] | string {
  const parsed = parseMatchers(text);
  return typeof parsed === "string" ? parsed : parsed.map(formatMatcher);
}

export type ConvertedChannel = { ok: true; value: ChannelInput } | { ok: false; field: string; text: string };

/**
 * The API's input; only the fields of its kind (a URL for webhooks and Slack, addresses for
 * e-mail), and a secret only when one was typed (an edit keeps the old one otherwise).
 */
export function formToChannelInput(f: ChannelForm): ConvertedChannel {
  const name = f.name.trim();
  if (!name) return { ok: false, field: "name", text: "must not be empty" };
  const matchers = matcherList(f.matchers);
  if (typeof matchers === "string") return { ok: false, field: "matchers", text: matchers };
  const common = { name, kind: f.kind, matchers, minSeverity: f.minSeverity, groupBy: words(f.groupBy), enabled: f.enabled };
  if (f.kind === "email") return { ok: true, value: { ...common, to: words(f.to) } };
  const url = f.url.trim();
  const secret = f.secret.trim();
  return { ok: true, value: { ...common, url, ...(f.kind === "webhook" && secret ? { secret } : {}) } };
}

/** Where it sends: the URL's host (the rest may be a credential, as Slack's is), or the addresses. */
export function channelTarget(c: Pick<ChannelView, "kind" | "url" | "to">): string {
  if (c.kind === "email") return c.to.length > 3 ? `${c.to.slice(0, 3).join(", ")} and ${c.to.length - 3} more` : c.to.join(", ");
  try {
    const u = new URL(c.url);
    return u.host;
  } catch {
    return c.url;
  }
}

const SEVERITY_TEXT: Record<Severity, string> = { info: "alerts of any severity", warning: "alerts with severity ≥ warning", critical: "critical alerts" };

/** Which alerts reach a channel, and how they are batched (always by rule, then by `groupBy`). */
export function describeRoute(r: { matchers: readonly string[]; minSeverity: Severity; groupBy: readonly string[] }): string {
  const matching = r.matchers.length ? ` matching ${r.matchers.join(" and ")}` : "";
  const grouped = r.groupBy.length ? `grouped by rule and ${r.groupBy.join(", ")}` : "grouped by rule";
  return `${SEVERITY_TEXT[r.minSeverity]}${matching}; ${grouped}`;
}

/** "Delivered: HTTP 200 in 12 ms" or "Failed: HTTP 500 — connection refused (3 ms)". */
export function describeOutcome(o: DeliveryOutcome): string {
  const status = o.status != null ? `HTTP ${o.status}` : "";
  const took = elapsed(o.durationMs);
  if (o.ok) return `Delivered${status ? `: ${status}` : ""} in ${took}`;
  const why = [status, o.error === status ? null : o.error].filter(Boolean).join(" — ");
  return `Failed${why ? `: ${why}` : ""} (${took})`;
}
