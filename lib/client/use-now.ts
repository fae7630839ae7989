"use client";
// One shared clock for "x ago" labels. A single interval runs while anything is subscribed, and
// `useNowText` re-renders a component only when its formatted text changes, so 500 heartbeat
// labels cost one timer and a handful of renders a second. This ticks a label, it fetches nothing.
import { useCallback, useSyncExternalStore } from "react";

const TICK_MS = 1000;
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * `format(now)`, re-rendering only when the string changes. "" during server rendering. While
 * not `live` (an off-screen label) it keeps its text and does not tick: a live list of 2,000
 * rows a few seconds old would otherwise re-render 2,000 labels every second.
 */
export function useNowText(format: (now: number) => string, live = true): string {
  const get = useCallback(() => format(now), [format]);
  return useSyncExternalStore(live ? subscribe : subscribeNever, get, () => "");
}

function subscribeNever() {
  return () => {};
}
