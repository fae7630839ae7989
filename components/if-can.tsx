"use client";
import type { ReactNode } from "react";
import { deniedMessage, type Permission } from "@/lib/policy";
import { usePermission } from "@/lib/client/use-can";
import { useMe } from "@/lib/client/use-session";

/**
 * Renders `children` only for callers with `permission` (nothing while that is unknown). With
 * `reserve`, the space they take is kept while it is unknown (invisible and inert), so a control
 * in a header does not push the page down when `auth.me` answers (layout shift on a phone).
 */
export function IfCan({ permission, children, fallback = null, reserve = false }: { permission: Permission; children: ReactNode; fallback?: ReactNode; reserve?: boolean }) {
  const { allowed, known } = usePermission(permission);
  if (!known)
    return reserve ? (
      <div aria-hidden inert className="invisible">
        {children}
      </div>
    ) : null;
  return <>{allowed ? children : fallback}</>;
}

/** A whole page (or panel) for callers with `permission`; others read why they cannot use it. */
export function Restricted({ permission, children }: { permission: Permission; children: ReactNode }) {
  return (
    <IfCan permission={permission} fallback={<NotAllowed permission={permission} />}>
      {children}
    </IfCan>
  );
}

function NotAllowed({ permission }: { permission: Permission }) {
  const { data: me } = useMe();
  return (
    <p role="status" data-testid="not-allowed" className="rounded-md border border-line bg-surface px-3 py-2 text-sm text-muted">
      {me ? deniedMessage(me, permission) : "Sign in to see this page."}
    </p>
  );
}
