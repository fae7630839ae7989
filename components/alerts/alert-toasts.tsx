"use client";
// Alerts as they fire, wherever the user is: a toast for each one announced (silenced ones are
// never announced), and a browser notification when the user allowed them (the permission is
// asked from the alerts page, never unprompted). Toasts go after 12 s or when dismissed.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { AlertsChangedPush } from "@/lib/dashboard-events";
import { useSocket } from "@/lib/client/socket";
import { SEVERITY_TONE } from "./alert-view-model";

type Fired = AlertsChangedPush["fired"][number] & { key: string };

const SHOWN_MS = 12_000;
const MAX_TOASTS = 4;

export function AlertToasts() {
  const { socket } = useSocket();
  const [toasts, setToasts] = useState<Fired[]>([]);
  useEffect(() => {
    if (!socket) return;
    const onChanged = (change: AlertsChangedPush) => {
      if (!change.fired?.length) return;
      const now = Date.now();
      const added = change.fired.map((f, i) => ({ ...f, key: `${f.fingerprint}-${now}-${i}` }));
      setToasts((t) => [...added, ...t].slice(0, MAX_TOASTS));
      for (const f of added) {
        setTimeout(() => setToasts((t) => t.filter((x) => x.key !== f.key)), SHOWN_MS);
        if (typeof Notification !== "undefined" && Notification.permission === "granted") {
          try {
            new Notification(`${f.name} (${f.severity})`, { body: f.summary, tag: f.fingerprint });
          } catch {
            // Some browsers only allow notifications from a service worker: the toast is enough.
          }
        }
      }
    };
    socket.on("alerts:changed", onChanged);
    return () => {
      socket.off("alerts:changed", onChanged);
    };
  }, [socket]);
  if (!toasts.length) return null;
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-2 bottom-2 z-40 flex flex-col items-end gap-2 sm:inset-x-auto sm:right-4 sm:bottom-4 sm:w-96" data-testid="alert-toasts">
      {toasts.map((t) => (
        <div key={t.key} data-testid="alert-toast" data-fingerprint={t.fingerprint} className="pointer-events-auto w-full rounded-lg border border-line bg-surface px-3 py-2.5 shadow-lg">
          <div className="flex items-center gap-2">
            <span className={`rounded px-1.5 text-xs leading-5 font-semibold uppercase ${SEVERITY_TONE[t.severity as keyof typeof SEVERITY_TONE] ?? SEVERITY_TONE.warning}`}>{t.severity}</span>
            <span className="min-w-0 flex-1 truncate text-sm font-semibold">{t.name}</span>
            <button type="button" aria-label="Dismiss" className="min-h-8 min-w-8 rounded text-muted hover:bg-surface-2" onClick={() => setToasts((x) => x.filter((y) => y.key !== t.key))}>
              ×
            </button>
          </div>
          <p className="mt-1 text-sm break-words">{t.summary}</p>
          <Link href="/alerts" className="mt-1 inline-block text-sm text-accent underline">
            Open alerts
          </Link>
        </div>
      ))}
    </div>
  );
}

/** Asks for permission to show browser notifications; says what the browser decided. */
export function BrowserNotificationsToggle() {
  const [state, setState] = useState<NotificationPermission | "unsupported" | null>(null);
  useEffect(() => setState(typeof Notification === "undefined" ? "unsupported" : Notification.permission), []);
  if (state === null || state === "unsupported") return null;
  if (state === "granted") return <span className="text-xs text-muted" data-testid="browser-notifications" data-state="granted">Browser notifications are on for this tab.</span>;
  if (state === "denied") return <span className="text-xs text-muted" data-testid="browser-notifications" data-state="denied">Browser notifications are blocked in this browser's site settings.</span>;
  return (
    <button type="button" data-testid="browser-notifications" data-state="default" className="min-h-10 rounded-md border border-line px-3 text-sm font-medium hover:bg-surface-2" onClick={() => void Notification.requestPermission().then(setState)}>
      Notify me in this browser
    </button>
  );
}
