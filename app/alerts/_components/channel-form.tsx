"use client";
// New channel / edit channel: the kind switches the fields (a URL, plus a signing secret for a
// webhook; or e-mail addresses), then the route: which alerts it takes and how they are grouped.
// A refused save keeps every field as typed and shows the server's sentence beside its field.
import { useState, type FormEvent } from "react";
import type { ChannelView } from "@/lib/api";
import { errorMessage } from "@/lib/client/error-message";
import { useCreateChannel, useUpdateChannel } from "@/lib/client/use-alerts";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { CHANNEL_FIELD_LABELS, CHANNEL_KINDS, channelToForm, describeRoute, emptyChannelForm, formToChannelInput, matcherList, type ChannelForm, type ChannelKind } from "@/components/alerts/channel-form-model";
import { formProblem, type FormProblem } from "@/components/alerts/form-problem";
import { SEVERITIES, type Severity } from "@/components/alerts/rule-form-model";
import { CheckField, SelectField, TextAreaField, TextField } from "@/components/form-fields";

const KIND_OPTION: Record<ChannelKind, string> = { webhook: "Webhook (JSON)", slack: "Slack", email: "E-mail" };
const KIND_HINT: Record<ChannelKind, string> = {
  webhook: "JSON shaped like Alertmanager’s webhook: status, groupKey, alerts[].",
  slack: "A Slack-compatible incoming webhook ({ text }).",
  email: "Plain text and HTML, over the server’s SMTP relay.",
};

export function ChannelEditor({ channel, onDone }: { channel?: ChannelView; onDone: () => void }) {
  const [form, setForm] = useState<ChannelForm>(() => (channel ? channelToForm(channel) : emptyChannelForm()));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const pending = create.isPending || update.isPending;
  const err = (field: string) => (problem?.field === field ? problem.text : null);
  const set = (patch: Partial<ChannelForm>) => setForm((f) => ({ ...f, ...patch }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const converted = formToChannelInput(form);
    if (!converted.ok) return setProblem({ field: converted.field, text: converted.text, sentence: `${CHANNEL_FIELD_LABELS[converted.field] ?? converted.field}: ${converted.text}.` });
    setProblem(null);
    const onError = (error: unknown) => setProblem(formProblem(errorMessage(error), CHANNEL_FIELD_LABELS));
    if (channel) update.mutate({ ...converted.value, id: channel.id }, { onSuccess: onDone, onError });
    else create.mutate(converted.value, { onSuccess: onDone, onError });
  }

  const matchers = matcherList(form.matchers);
  const route = typeof matchers === "string" ? null : describeRoute({ matchers, minSeverity: form.minSeverity, groupBy: form.groupBy.split(/[\s,;]+/).filter(Boolean) });
  const keepsSecret = channel?.kind === "webhook" && channel.signed;
  const title = channel ? `Edit channel ${channel.name}` : "New channel";
  return (
    <form onSubmit={onSubmit} noValidate aria-label={title} className="space-y-3 rounded-md border border-accent/40 bg-surface-2/40 p-3 sm:p-4" data-testid="channel-form">
      <h3 className="text-sm font-semibold">{title}</h3>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] lg:items-start">
        <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} maxLength={80} placeholder="ml on-call" autoFocus error={err("name")} testId="channel-name-input" />
        <SelectField label="Kind" value={form.kind} onChange={(e) => set({ kind: e.target.value as ChannelKind })} hint={KIND_HINT[form.kind]} error={err("kind")} testId="channel-kind-input">
          {CHANNEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_OPTION[k]}
            </option>
          ))}
        </SelectField>
        <div className="lg:pt-6">
          <CheckField label="Enabled" checked={form.enabled} onChange={(enabled) => set({ enabled })} testId="channel-enabled-input" />
        </div>
      </div>

      {form.kind === "email" ? (
        <TextAreaField
          label="Addresses"
          value={form.to}
          onChange={(e) => set({ to: e.target.value })}
          rows={2}
          placeholder="oncall@example.com, ml-team@example.com"
          hint="Up to 20, separated by commas; sent over the server’s SMTP relay (SWITCHBOARD_SMTP_URL)."
          error={err("to")}
          testId="channel-to-input"
        />
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="URL"
            type="url"
            inputMode="url"
            value={form.url}
            onChange={(e) => set({ url: e.target.value })}
            placeholder={form.kind === "slack" ? "https://hooks.slack.com/services/…" : "https://alerts.example.com/switchboard"}
            hint={form.kind === "slack" ? "The incoming webhook’s URL; it is a credential, so only admins see it." : "Every notification is POSTed here as JSON."}
            error={err("url")}
            testId="channel-url-input"
          />
          {form.kind === "webhook" && (
            <TextField
              label="Signing secret"
              type="password"
              autoComplete="new-password"
              value={form.secret}
              onChange={(e) => set({ secret: e.target.value })}
              placeholder={keepsSecret ? "(unchanged)" : "optional, 16+ characters"}
              hint={keepsSecret ? "Signed now: leave empty to keep the secret, or type a new one." : "With a secret, every body carries Switchboard-Signature (HMAC-SHA256). Never shown again."}
              error={err("secret")}
              testId="channel-secret-input"
            />
          )}
        </div>
      )}

      <fieldset className="min-w-0 space-y-3 rounded-md border border-line p-3">
        <legend className="px-1 text-sm font-semibold">Routing</legend>
        <div className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)]">
          <TextField
            label="Only alerts matching"
            value={form.matchers}
            onChange={(e) => set({ matchers: e.target.value })}
            placeholder={'team="ml", capability=~"gpu|cuda"'}
            hint="Label matchers, comma-separated; empty for every alert."
            error={err("matchers") ?? (typeof matchers === "string" ? matchers : null)}
            testId="channel-matchers-input"
          />
          <SelectField label="Lowest severity" value={form.minSeverity} onChange={(e) => set({ minSeverity: e.target.value as Severity })} error={err("minSeverity")} testId="channel-severity-input">
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
          <TextField label="Group by labels" value={form.groupBy} onChange={(e) => set({ groupBy: e.target.value })} placeholder="agent, capability" hint="One notification per rule and these labels’ values." error={err("groupBy")} testId="channel-group-by-input" />
        </div>
        <p className="text-sm text-muted" aria-live="polite" data-testid="channel-route-preview">
          {route ? `Reaches it: ${route}.` : "Fix the matchers to see which alerts reach it."}
        </p>
      </fieldset>

      <ErrorNotice error={problem?.sentence} title={channel ? "Not saved" : "Not created"} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={pending} data-testid="channel-save">
          {pending ? "Saving…" : channel ? "Save channel" : "Create channel"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="channel-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
