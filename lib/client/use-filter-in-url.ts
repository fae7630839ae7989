"use client";
import { useEffect } from "react";

/**
 * Keeps a list's filter in the address bar (`?status=…&q=…`) so a filtered list can be
 * bookmarked or shared. Empty values are left out; the page reads them back on load.
 */
export function useFilterInUrl(query: Record<string, string | undefined>) {
  const key = JSON.stringify(query);
  useEffect(() => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
    const qs = params.toString();
    const url = qs ? `${window.location.pathname}?${qs}` : window.location.pathname;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
    // `key` captures every value of `query`.
  }, [key]);
}
