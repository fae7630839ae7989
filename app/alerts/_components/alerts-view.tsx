"use client";
import type { AlertView } from "@/lib/api";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { Button } from "@/components/button";
import { TimeAgo } from "@/components/time-ago";
import { formatTimestamp } from "@/lib/client/format";
import { sectionOf, type AlertSection } from "@/components/alerts/alert-view-model";
import { useAlertHistory, useAlerts, useExpireSilence, useSilences } from "@/lib/client/use-alerts";
import { AlertCard } from "./alert-card";
import { ChannelsSection } from "./channels-section";
import { RulesSection } from "./rules-section";
import { BrowserNotificationsToggle } from "@/components/alerts/alert-toasts";

const SECTIONS: { id: AlertSection; title: string; empty: string }[] = [
  { id: "firing", title: "Firing", empty: "Nothing is firing." },
  { id: "pending", title: "Pending", empty: "Nothing is pending: a rule's condition holds here until its `for` has passed." },
  { id: "silenced", title: "Silenced", empty: "No firing alert is silenced." },
  { id: "resolved", title: "Resolved in the last hour", empty: "Nothing resolved in the last hour." },
];

/** What fires now (live), what is silenced and by what, and every transition. */
export function AlertsView() {
  const alerts = useAlerts();
  const by = new Map<AlertSection, AlertView[]>();
  for (const a of alerts.data?.alerts ?? []) by.set(sectionOf(a), [...(by.get(sectionOf(a)) ?? []), a]);
  return (
    <div className="space-y-4">
      <PageHeader title="Alerts" subtitle="What fires now, the rules behind it and where it is sent. Rules and channels are kept by admins (API: /api/v1/alerts)." actions={<BrowserNotificationsToggle />} />
      <OnThisPage />
      <ErrorNotice error={alerts.error} title="Could not load alerts" />
      {alerts.isLoading ? (
        <Loading label="Loading alerts…" />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {SECTIONS.map((s) => {
            const list = by.get(s.id) ?? [];
            return (
              <Panel key={s.id} title={`${s.title} (${list.length})`} testId={`alerts-${s.id}`}>
                {list.length ? (
                  <ul className="space-y-2">
                    {list.map((a) => (
                      <AlertCard key={a.fingerprint} a={a} />
                    ))}
                  </ul>
                ) : (
                  <p className="text-sm text-muted">{s.empty}</p>
                )}
              </Panel>
            );
          })}
        </div>
      )}
      <div id="silences" className="scroll-mt-4">
        <Silences />
      </div>
      <div id="rules" className="scroll-mt-4">
        <RulesSection />
      </div>
      <IfCan permission="admin">
        <div id="channels" className="scroll-mt-4">
          <ChannelsSection />
        </div>
      </IfCan>
      <div id="history" className="scroll-mt-4">
        <History />
      </div>
    </div>
  );
}

/** Jump links: on a phone the page is long. Channels only for admins, who alone can see them. */
function OnThisPage() {
  const link = "inline-flex min-h-10 items-center rounded-md px-2.5 text-sm text-accent hover:bg-surface-2";
  return (
    <nav aria-label="On this page" className="-mx-2.5 -mt-2 flex flex-wrap gap-x-1" data-testid="alerts-jump">
      <a href="#silences" className={link}>
        Silences
      </a>
      <a href="#rules" className={link}>
        Rules
      </a>
      <IfCan permission="admin">
        <a href="#channels" className={link}>
          Channels
        </a>
      </IfCan>
      <a href="#history" className={link}>
        History
      </a>
    </nav>
  );
}

function Silences() {
  const silences = useSilences();
  const expire = useExpireSilence();
  const list = silences.data?.silences ?? [];
  return (
    <Panel title="Silences" testId="silences">
      <ErrorNotice error={silences.error ?? expire.error} title="Silences" />
      {list.length === 0 ? (
        <p className="text-sm text-muted">No silences. Silence an alert from its card, or POST /api/v1/alerts/silences with label matchers.</p>
      ) : (
        <ul className="divide-y divide-line">
          {list.map((s) => (
            <li key={s.id} data-testid="silence" data-id={s.id} data-active={s.active || undefined} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
              <span className="font-mono text-xs break-all">{s.matchers.join(", ")}</span>
              <span className="text-xs text-muted">
                {s.active ? (
                  <>until {formatTimestamp(s.endsAt)}</>
                ) : (
                  <>
                    ended <TimeAgo at={s.endsAt} />
                  </>
                )}{" "}
                · by {s.createdBy}
              </span>
              {s.comment && <span className="w-full text-xs text-muted break-words">{s.comment}</span>}
              {s.active && (
                <IfCan permission="operate">
                  <Button data-testid="silence-expire" className="ml-auto" disabled={expire.isPending} onClick={() => expire.mutate({ id: s.id })}>
                    End now
                  </Button>
                </IfCan>
              )}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function History() {
  const history = useAlertHistory();
  const items = history.data?.items ?? [];
  return (
    <Panel title="History" testId="alert-history">
      <ErrorNotice error={history.error} title="Could not load the history" />
      {items.length === 0 ? (
        <p className="text-sm text-muted">No alert has changed yet.</p>
      ) : (
        <ol className="divide-y divide-line">
          {items.map((t) => (
            <li key={t.id} data-testid="alert-transition" className="grid gap-x-3 py-1.5 text-sm sm:grid-cols-[8rem_10rem_1fr]">
              <TimeAgo at={t.at} className="text-xs text-muted" />
              <span className="text-xs font-medium">
                {t.labels.alertname ?? t.ruleId}: {t.from} → {t.to}
              </span>
              <span className="min-w-0 break-words">{t.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
