"use client";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { usePathname } from "next/navigation";
import { useSocket } from "@/lib/client/socket";
import { signOut, useMe } from "@/lib/client/use-session";
import { usePendingApprovalCount } from "@/lib/client/use-approvals";
import { can, type Permission } from "@/lib/policy";

/** Links to pages whose actions the caller lacks (`permission`) are left out. */
const LINKS: { href: string; label: string; match: (p: string) => boolean; permission?: Permission }[] = [
  { href: "/", label: "Fleet", match: (p: string) => p === "/" || p.startsWith("/agents") },
  { href: "/tasks", label: "Tasks", match: (p: string) => p.startsWith("/tasks") && !p.startsWith("/tasks/new") },
  // Runs and Approvals come early: on a phone they (and the pending badge) stay in view.
  { href: "/runs", label: "Runs", match: (p: string) => p.startsWith("/runs") },
  { href: "/approvals", label: "Approvals", match: (p: string) => p.startsWith("/approvals") },
  { href: "/tasks/new", label: "Submit", match: (p: string) => p.startsWith("/tasks/new"), permission: "create" },
  { href: "/incidents", label: "Incidents", match: (p: string) => p.startsWith("/incidents") },
  { href: "/dead-letters", label: "Dead letters", match: (p: string) => p.startsWith("/dead-letters") },
  { href: "/workflows", label: "Workflows", match: (p: string) => p.startsWith("/workflows") },
  { href: "/messages", label: "Channels", match: (p: string) => p.startsWith("/messages") },
  { href: "/traffic", label: "Traffic", match: (p: string) => p.startsWith("/traffic") },
  { href: "/tokens", label: "Tokens", match: (p: string) => p.startsWith("/tokens"), permission: "admin" },
  { href: "/users", label: "Users", match: (p: string) => p.startsWith("/users"), permission: "admin" },
  { href: "/audit", label: "Audit", match: (p: string) => p.startsWith("/audit"), permission: "admin" },
];

function LiveIndicator() {
  const { status } = useSocket();
  const tone = status === "connected" ? "bg-emerald-500" : status === "connecting" ? "bg-amber-500" : "bg-red-500";
  const label = status === "connected" ? "Live" : status === "connecting" ? "Connecting" : "Reconnecting";
  return (
    <span className="flex items-center gap-1.5 text-xs text-muted" title={`Live updates: ${status}`} data-testid="live-status" data-status={status}>
      <span aria-hidden className={`size-2 rounded-full ${tone}`} />
      <span className="hidden sm:inline">{label}</span>
    </span>
  );
}

/** Pending approval gates, live from `approvals:changed`. */
function ApprovalsBadge() {
  const pending = usePendingApprovalCount();
  if (!pending) return null;
  return (
    <span data-testid="approvals-badge" data-count={pending} aria-label={`${pending} waiting`} className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-white tabular-nums">
      {pending > 99 ? "99+" : pending}
    </span>
  );
}

export function Nav() {
  const pathname = usePathname() ?? "/";
  const onLogin = pathname.startsWith("/login");
  const me = useMe({ enabled: !onLogin });
  const list = useRef<HTMLUListElement>(null);
  // On a phone the links scroll sideways; keep the current page's link in view.
  useEffect(() => {
    const ul = list.current;
    const active = ul?.querySelector('[aria-current="page"]');
    if (!ul || !active) return;
    const a = active.getBoundingClientRect();
    const u = ul.getBoundingClientRect();
    if (a.left < u.left || a.right > u.right) ul.scrollLeft += a.left - u.left - 8;
  }, [pathname, me.data]);
  if (onLogin) {
    return (
      <header className="border-b border-line bg-surface">
        <div className="mx-auto flex h-14 max-w-7xl items-center px-3 sm:px-6">
          <Brand />
        </div>
      </header>
    );
  }
  const links = (
    <ul ref={list} className="flex gap-1 overflow-x-auto md:gap-0 whitespace-nowrap [scrollbar-width:none]">
      {LINKS.filter((l) => !l.permission || can(me.data, l.permission)).map((l) => {
        const active = l.match(pathname);
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={active ? "page" : undefined}
              data-testid={`nav-${l.label.toLowerCase().replace(/ /g, "-")}`}
              className={`flex min-h-10 items-center rounded-md px-2.5 text-sm font-medium sm:px-3 md:px-2 2xl:px-3 ${active ? "bg-surface-2 text-fg" : "text-muted hover:text-fg"}`}
            >
              {l.label}
              {l.href === "/approvals" && <ApprovalsBadge />}
            </Link>
          </li>
        );
      })}
    </ul>
  );
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
      <nav aria-label="Main" className="mx-auto max-w-7xl px-3 sm:px-6">
        {/* Links render once (one set of test ids): a second row on phones, inline from md up. */}
        <div className="flex flex-wrap items-center gap-x-3 md:h-14 md:flex-nowrap">
          <div className="flex h-14 items-center md:h-auto">
            <Brand />
          </div>
          <div className="order-last -mx-1 w-full min-w-0 pb-2 md:order-none md:mx-0 md:w-auto md:pb-0">{links}</div>
          <div className="ml-auto flex h-14 min-w-0 items-center gap-2 md:h-auto">
            <LiveIndicator />
            {me.data && (
              <span className="max-w-28 truncate text-sm text-muted sm:max-w-48" data-testid="current-user" data-role={me.data.kind === "user" ? me.data.role : me.data.scope} title={me.data.kind === "user" ? `role: ${me.data.role}` : `token scope: ${me.data.scope}`}>
                {me.data.username}
              </span>
            )}
            <button type="button" onClick={() => void signOut()} className="min-h-10 rounded-md px-3 text-sm whitespace-nowrap font-medium text-muted hover:bg-surface-2 hover:text-fg" data-testid="logout">
              Log out
            </button>
          </div>
        </div>
      </nav>
    </header>
  );
}

function Brand() {
  return (
    <Link href="/" className="flex min-h-10 shrink-0 items-center gap-2 font-semibold tracking-tight">
      <img src="/icon.svg" alt="" width={22} height={22} />
      <span>Switchboard</span>
    </Link>
  );
}
