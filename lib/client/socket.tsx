"use client";
// One Socket.IO connection to /dashboard for the whole tab. Components join rooms through
// `useSocketRoom`; rooms are reference-counted so two views of one task share a subscription,
// and every joined room is subscribed again after a reconnect (the server forgets them).
// The sign-in page opens none: the server refuses a socket without a session, which would only
// put a 400 in the console of someone who has not signed in yet.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import { io, type Socket } from "socket.io-client";
import type { DashboardClientToServer, DashboardServerToClient } from "@/lib/dashboard-events";

export type DashboardSocket = Socket<DashboardServerToClient, DashboardClientToServer>;
export type SocketStatus = "connecting" | "connected" | "disconnected";

interface SocketContextValue {
  socket: DashboardSocket | null;
  status: SocketStatus;
  /** Increments on every (re)connect, so effects can refetch what they may have missed. */
  connection: number;
  /** Joins `room` until the returned function is called; `onJoined` runs after every (re)join. */
  join: (room: string, onJoined?: () => void) => () => void;
}

const SocketContext = createContext<SocketContextValue | null>(null);

/** Pages that are shown before anyone has signed in. */
export function isSignedOutPath(pathname: string): boolean {
  return pathname === "/login" || pathname.startsWith("/login/");
}

export function SocketProvider({ children }: { children: ReactNode }) {
  const enabled = !isSignedOutPath(usePathname() ?? "/");
  const [socket, setSocket] = useState<DashboardSocket | null>(null);
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [connection, setConnection] = useState(0);
  const rooms = useRef(new Map<string, number>());
  const joinedListeners = useRef(new Map<string, Set<() => void>>());
  const notifyJoined = useCallback((room: string) => () => joinedListeners.current.get(room)?.forEach((f) => f()), []);

  useEffect(() => {
    if (!enabled) return;
    // Created in an effect: the page is also rendered on the server, where there is no origin.
    const s: DashboardSocket = io("/dashboard", { withCredentials: true });
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = 1000;
    const onConnect = () => {
      retryDelay = 1000;
      for (const room of rooms.current.keys()) s.emit("subscribe", room, notifyJoined(room));
      setStatus("connected");
      setConnection((n) => n + 1);
    };
    const onDisconnect = () => setStatus("disconnected");
    const onConnectError = () => {
      setStatus("disconnected");
      // A refusal by the server's middleware stops Socket.IO's own reconnection; keep trying
      // (slowly) so the dashboard recovers once the server or the session is back.
      if (!s.active) {
        clearTimeout(retry);
        retry = setTimeout(() => s.connect(), retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30_000);
      }
    };
    s.on("connect", onConnect);
    s.on("disconnect", onDisconnect);
    s.on("connect_error", onConnectError);
    setSocket(s);
    return () => {
      clearTimeout(retry);
      s.off("connect", onConnect);
      s.off("disconnect", onDisconnect);
      s.off("connect_error", onConnectError);
      s.disconnect();
      setSocket(null);
      setStatus("connecting");
    };
  }, [enabled, notifyJoined]);

  // `join` depends on the socket only, so a reconnect does not make rooms leave and rejoin.
  const join = useCallback(
    (room: string, onJoined?: () => void) => {
      const n = rooms.current.get(room) ?? 0;
      rooms.current.set(room, n + 1);
      if (onJoined) {
        const set = joinedListeners.current.get(room) ?? new Set();
        set.add(onJoined);
        joinedListeners.current.set(room, set);
      }
      if (socket?.connected) {
        if (n === 0) socket.emit("subscribe", room, notifyJoined(room));
        else onJoined?.(); // already in the room: what this view fetched next is current
      }
      let left = false;
      return () => {
        if (left) return;
        left = true;
        if (onJoined) joinedListeners.current.get(room)?.delete(onJoined);
        const m = (rooms.current.get(room) ?? 1) - 1;
        if (m > 0) {
          rooms.current.set(room, m);
        } else {
          rooms.current.delete(room);
          if (socket?.connected) socket.emit("unsubscribe", room);
        }
      };
    },
    [socket, notifyJoined],
  );

  const value = useMemo<SocketContextValue>(() => ({ socket, status, connection, join }), [socket, status, connection, join]);

  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

function useSocketContext(): SocketContextValue {
  const ctx = useContext(SocketContext);
  if (!ctx) throw new Error("useSocket must be used inside <Providers>");
  return ctx;
}

/** The shared socket (null until mounted in the browser) and its connection state. */
export function useSocket() {
  const { socket, status, connection } = useSocketContext();
  return { socket, status, connection };
}

/**
 * Join a room (e.g. `task:<id>`) while mounted. `onJoined` runs each time the server confirms
 * the join (also after a reconnect): a view refetches there, since what changed before the
 * join was pushed to a room it was not in yet.
 */
export function useSocketRoom(room: string | null, onJoined?: () => void) {
  const { join, socket } = useSocketContext();
  const latest = useRef(onJoined);
  useEffect(() => {
    latest.current = onJoined;
  });
  const hasListener = onJoined !== undefined;
  useEffect(() => {
    if (!room || !socket) return;
    return join(room, hasListener ? () => latest.current?.() : undefined);
  }, [room, socket, join, hasListener]);
}
