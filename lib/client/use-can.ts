"use client";
// What the signed-in caller may do, from `auth.me` and the same table the server enforces
// (lib/policy.ts). The dashboard only hides what would be refused; the server checks anyway.
import { can, type Permission } from "@/lib/policy";
import { useMe } from "./use-session";

/**
 * Whether the caller has `permission`: `allowed` is false until `auth.me` answers, so a
 * control never flashes for someone who lacks it; `known` tells "not yet" from "no".
 */
export function usePermission(permission: Permission): { allowed: boolean; known: boolean } {
  const me = useMe();
  return { allowed: can(me.data, permission), known: !me.isPending };
}

export function useCan(permission: Permission): boolean {
  return usePermission(permission).allowed;
}
