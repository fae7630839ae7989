"use client";
// The top bar. Links come from NAV_GROUPS and render once (one set of test ids): on a desktop each
// group is a disclosure menu (a button with aria-expanded and its list of links); on a phone one
// Menu button opens a sheet that lists every group open. Escape, a click outside, leaving the menu
// with Tab or following a link closes it.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { isSignedOutPath, useSocket } from "@/lib/client/socket";
import { signOut, useMe } from "@/lib/client/use-session";
import { usePendingApprovalCount } from "@/lib/client/use-approvals";
import { useFiringCount } from "@/lib/client/use-alerts";
import { useMediaQuery } from "@/lib/client/use-media-query";
import { can } from "@/lib/policy";
import { activeLink, NAV_GROUPS, visibleGroups, type NavGroup, type NavLink } from "./nav-groups";

/** Tailwind's `md`: menus from here up, the sheet below. */
const DESKTOP = "(min-width: 768px)";

function LiveIndicator() {
  const { status } = useSocket();
  const tone = status === "connected" ? "bg-emerald-500" : status === "connecting" ? "bg-amber-500" : "bg-red-500";
  const label = status === "connected" ? "Live" : status === "connecting" ? "Connecting" : "Reconnecting";
  return (
    <span role="status" className="flex shrink-0 items-center gap-1.5 text-xs text-muted" title={`Live updates: ${status}`} data-testid="live-status" data-status={status}>
      <span aria-hidden className={`size-2 rounded-full ${tone}`} />
      <span className="sr-only sm:not-sr-only">{label}</span>
    </span>
  );
}

function Count({ n, testId, className = "", tone = "waiting" }: { n: number; testId?: string; className?: string; tone?: "waiting" | "alert" }) {
  return (
    <span data-testid={testId} data-count={n} className={`inline-flex min-w-5 items-center justify-center rounded-full ${tone === "alert" ? "bg-red-700" : "bg-amber-700"} px-1.5 text-xs leading-5 font-semibold text-white tabular-nums ${className}`}>
      {n > 99 ? "99+" : n}
      <span className="sr-only">{tone === "alert" ? " firing" : " waiting"}</span>
    </span>
  );
}

function Chevron({ open }: { open: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className={`size-3.5 shrink-0 transition-transform ${open ? "rotate-180" : ""}`} fill="none" stroke="currentColor" strokeWidth="1.75">
      <path d="M4 6l4 4 4-4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="size-5 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round">
      {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 6h14M3 10h14M3 14h14" />}
    </svg>
  );
}

function NavItem({ link, active, pending, firing, onFollow }: { link: NavLink; active: boolean; pending: number | undefined; firing: number | undefined; onFollow: () => void }) {
  return (
    <li>
      <Link
        href={link.href}
        onClick={onFollow}
        aria-current={active ? "page" : undefined}
        data-testid={`nav-${link.testId}`}
        className={`flex min-h-11 items-center gap-2 rounded-md px-3 text-[15px] font-medium md:min-h-10 md:text-sm ${active ? "bg-surface-2 text-fg" : "text-muted hover:bg-surface-2 hover:text-fg"}`}
      >
        <span aria-hidden className={`h-4 w-0.5 shrink-0 rounded-full ${active ? "bg-accent" : "bg-transparent"}`} />
        {link.label}
        {link.badge === "approvals" && pending ? <Count n={pending} className="ml-auto" /> : null}
        {link.badge === "alerts" && firing ? <Count n={firing} className="ml-auto" tone="alert" testId="alerts-count" /> : null}
      </Link>
    </li>
  );
}

function Group({
  group,
  pathname,
  open,
  current,
  pending,
  firing,
  badge,
  onToggle,
  onClose,
  onFollow,
  buttonRef,
}: {
  group: NavGroup;
  pathname: string;
  open: boolean;
  current: boolean;
  pending: number | undefined;
  firing: number | undefined;
  badge: ReactNode;
  onToggle: (focusFirst?: boolean) => void;
  /** Focus left the group: close it alone. */
  onClose: () => void;
  /** A link was followed: close everything, the phone sheet too (even for the page already shown). */
  onFollow: () => void;
  buttonRef: (el: HTMLButtonElement | null) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  const listId = `nav-group-${group.id}-links`;
  const labelId = `nav-group-${group.id}-label`;

  // Up and down move through the open menu; Tab leaves it (and onBlur closes it).
  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>("a") ?? [])];
    if (links.length === 0) return;
    e.preventDefault();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === "Home" ? 0 : e.key === "End" ? links.length - 1 : e.key === "ArrowDown" ? (at + 1) % links.length : (at - 1 + links.length) % links.length;
    links[next].focus();
  };

  return (
    <li
      className="min-w-0 md:relative"
      data-nav-group={group.id}
      onBlur={(e) => {
        if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) onClose();
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        data-testid={`nav-group-${group.id}`}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => onToggle()}
        onKeyDown={(e) => {
          if (e.key !== "ArrowDown") return;
          e.preventDefault();
          if (open) list.current?.querySelector<HTMLAnchorElement>("a")?.focus();
          else onToggle(true);
        }}
        className={`hidden min-h-10 items-center gap-1 rounded-md px-2.5 text-sm font-medium whitespace-nowrap md:flex lg:px-3 ${current || open ? "bg-surface-2 text-fg" : "text-muted hover:bg-surface-2 hover:text-fg"}`}
      >
        {group.label}
        {badge}
        <Chevron open={open} />
      </button>
      {/* The sheet's heading on a phone; names the list for assistive technology on both. */}
      <span id={labelId} className="block px-3 pt-1 pb-1 text-xs font-semibold tracking-wide text-muted uppercase md:hidden">
        {group.label}
      </span>
      <ul
        ref={list}
        id={listId}
        aria-labelledby={labelId}
        onKeyDown={onListKey}
        className={`space-y-0.5 md:absolute md:top-full md:left-0 md:z-30 md:mt-1 md:min-w-52 md:rounded-lg md:border md:border-line md:bg-surface md:p-1 md:shadow-lg ${open ? "md:block" : "md:hidden"}`}
      >
        {group.links.map((l) => (
          <NavItem key={l.href} link={l} active={l.match(pathname)} pending={pending} firing={firing} onFollow={onFollow} />
        ))}
      </ul>
    </li>
  );
}

export function Nav() {
  const pathname = usePathname() ?? "/";
  if (isSignedOutPath(pathname)) {
    return (
      <header className="border-b border-line bg-surface">
        <div className="mx-auto flex h-14 max-w-7xl items-center px-3 sm:px-6">
          <Brand />
        </div>
      </header>
    );
  }
  return <SignedInNav pathname={pathname} />;
}

function SignedInNav({ pathname }: { pathname: string }) {
  const me = useMe();
  const pending = usePendingApprovalCount();
  const firing = useFiringCount();
  const desktop = useMediaQuery(DESKTOP);
  const groups = visibleGroups(NAV_GROUPS, (p) => can(me.data, p));
  const current = activeLink(groups, pathname);
  // One desktop menu open at a time; the phone sheet is separate.
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  const [sheet, setSheet] = useState(false);
  const nav = useRef<HTMLElement>(null);
  const groupButtons = useRef(new Map<string, HTMLButtonElement>());
  const menuButton = useRef<HTMLButtonElement>(null);

  const closeAll = useCallback(() => {
    setOpenGroup(null);
    setSheet(false);
  }, []);

  // A new page closes whatever was open (covers back and forward too).
  useEffect(closeAll, [pathname, closeAll]);
  // Crossing the breakpoint with something open would leave the other layout's state behind.
  useEffect(closeAll, [desktop, closeAll]);

  const anyOpen = openGroup !== null || sheet;
  useEffect(() => {
    if (!anyOpen) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== "Escape") return;
      const back = openGroup ? groupButtons.current.get(openGroup) : menuButton.current;
      closeAll();
      back?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!nav.current?.contains(e.target as Node)) closeAll();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [anyOpen, openGroup, closeAll]);

  const toggleGroup = (id: string, focusFirst = false) => {
    setOpenGroup((o) => (o === id && !focusFirst ? null : id));
    if (focusFirst) requestAnimationFrame(() => document.querySelector<HTMLAnchorElement>(`#nav-group-${id}-links a`)?.focus());
  };

  // The pending count rides on whatever is visible while the links are folded away.
  const badge = pending ? <Count n={pending} testId="approvals-badge" /> : null;
  const workGroup = groups.find((g) => g.links.some((l) => l.badge === "approvals"))?.id;
  const alertBadge = firing ? <Count n={firing} testId="alerts-badge" tone="alert" /> : null;
  const alertGroup = groups.find((g) => g.links.some((l) => l.badge === "alerts"))?.id;
  const who = me.data;

  return (
    <header data-overlay className="sticky top-0 z-20 border-b border-line bg-surface">
      <nav ref={nav} aria-label="Main" className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-3 sm:px-6 md:gap-3">
        <Brand />
        {/* On a phone: a sheet under the bar. From md up: `contents`, so the groups sit in the bar
            and the footer (Log out) moves to its end. */}
        <div
          id="nav-sheet"
          data-testid="nav-sheet"
          data-open={sheet || undefined}
          className={`${sheet ? "fixed inset-x-0 top-14 z-30 max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-b border-line bg-surface px-3 pt-3 pb-4 shadow-xl" : "hidden"} md:contents`}
        >
          <ul className="grid grid-cols-2 gap-x-3 gap-y-4 md:flex md:items-center md:gap-0.5">
            {groups.map((g) => (
              <Group
                key={g.id}
                group={g}
                pathname={pathname}
                open={openGroup === g.id}
                current={current?.group.id === g.id}
                pending={pending}
                firing={firing}
                badge={desktop ? (g.id === workGroup ? badge : g.id === alertGroup ? alertBadge : null) : null}
                onToggle={(focusFirst) => toggleGroup(g.id, focusFirst)}
                onClose={() => setOpenGroup(null)}
                onFollow={closeAll}
                buttonRef={(el) => {
                  if (el) groupButtons.current.set(g.id, el);
                  else groupButtons.current.delete(g.id);
                }}
              />
            ))}
          </ul>
          <div className="mt-4 flex items-center gap-3 border-t border-line pt-3 md:order-last md:mt-0 md:border-0 md:pt-0">
            {who && (
              <span className="min-w-0 flex-1 truncate text-sm text-muted md:hidden">
                Signed in as <span className="font-medium text-fg">{who.username}</span> ({who.kind === "user" ? who.role : `${who.scope} token`})
              </span>
            )}
            <button type="button" onClick={() => void signOut()} className="min-h-10 shrink-0 rounded-md border border-line px-3 text-sm font-medium whitespace-nowrap text-fg hover:bg-surface-2 md:border-transparent md:text-muted md:hover:text-fg" data-testid="logout">
              Log out
            </button>
          </div>
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-2 md:gap-3">
          <LiveIndicator />
          {who && (
            <span className="min-w-0 truncate text-sm font-medium" data-testid="current-user" data-role={who.kind === "user" ? who.role : who.scope} title={who.kind === "user" ? `${who.username} · role: ${who.role}` : `${who.username} · token scope: ${who.scope}`}>
              {who.username}
            </span>
          )}
        </div>
        <button
          ref={menuButton}
          type="button"
          data-testid="nav-menu"
          aria-expanded={sheet}
          aria-controls="nav-sheet"
          onClick={() => setSheet((s) => !s)}
          className="flex min-h-10 shrink-0 items-center gap-1.5 rounded-md border border-line px-2.5 text-sm font-medium md:hidden"
        >
          <MenuIcon open={sheet} />
          Menu
          {!desktop && badge}
          {!desktop && alertBadge}
        </button>
      </nav>
      {sheet && <div aria-hidden className="fixed inset-0 top-14 z-20 bg-black/30 md:hidden" onClick={closeAll} />}
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
