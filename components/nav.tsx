"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useSocket } from "@/lib/client/socket";
import { signOut, useMe } from "@/lib/client/use-session";

const LINKS = [
  { href: "/", label: "Fleet", match: (p: string) => p === "/" || p.startsWith("/agents") },
  { href: "/tasks", label: "Tasks", match: (p: string) => p.startsWith("/tasks") && !p.startsWith("/tasks/new") },
  { href: "/tasks/new", label: "Submit", match: (p: string) => p.startsWith("/tasks/new") },
  { href: "/tokens", label: "Tokens", match: (p: string) => p.startsWith("/tokens") },
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

export function Nav() {
  const pathname = usePathname() ?? "/";
  const onLogin = pathname.startsWith("/login");
  const me = useMe({ enabled: !onLogin });
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
    <ul className="flex gap-1">
      {LINKS.map((l) => {
        const active = l.match(pathname);
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={active ? "page" : undefined}
              className={`flex min-h-10 items-center rounded-md px-3 text-sm font-medium ${active ? "bg-surface-2 text-fg" : "text-muted hover:text-fg"}`}
            >
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
      <nav aria-label="Main" className="mx-auto max-w-7xl px-3 sm:px-6">
        <div className="flex h-14 items-center gap-3">
          <Brand />
          <div className="hidden md:block">{links}</div>
          <div className="ml-auto flex min-w-0 items-center gap-2">
            <LiveIndicator />
            {me.data && (
              <span className="max-w-28 truncate text-sm text-muted sm:max-w-48" data-testid="current-user">
                {me.data.username}
              </span>
            )}
            <button type="button" onClick={() => void signOut()} className="min-h-10 rounded-md px-3 text-sm font-medium text-muted hover:bg-surface-2 hover:text-fg" data-testid="logout">
              Log out
            </button>
          </div>
        </div>
        <div className="-mx-1 pb-2 md:hidden">{links}</div>
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
