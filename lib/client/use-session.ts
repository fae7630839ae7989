"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

/** The signed-in user, or null. Pass `enabled: false` where there can be no session (sign-in page). */
export function useMe({ enabled = true }: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity, enabled });
}

export async function signIn(username: string, password: string): Promise<{ ok: true } | { ok: false; message: string }> {
  let res: Response;
  try {
    res = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ username, password }),
    });
  } catch {
    return { ok: false, message: "Cannot reach the Switchboard server. Check that it is running, then try again." };
  }
  if (res.ok) return { ok: true };
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { ok: false, message: body?.error?.message ?? `Sign-in failed (HTTP ${res.status}).` };
}

/** Ends the session and reloads on the sign-in page, dropping every cached query. */
export async function signOut() {
  await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => undefined);
  window.location.assign("/login");
}
