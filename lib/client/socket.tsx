"use client";
// One Socket.IO connection to /dashboard for the whole tab. Components join rooms through
// `useSocketRoom`; rooms are reference-counted so two views of one task share a subscription,
// and every joined room is subscribed again after a reconnect (the server forgets them).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import type { DashboardClientToServer, DashboardServerToClient } from "@/lib/dashboard-events";

export type DashboardSocket = Socket<DashboardServerToClient, DashboardClientToServer>;
export type SocketStatus = "connecting" | "connected" | "disconnected";

interface SocketContextValue {
  socket: DashboardSocket | null;
  status: SocketStatus;
  /** Increments on every (re)connect, so effects can refetch what they may have missed. */
  connection: number;
  join: (room: string) => () => void;
}

const SocketContext = createContext<SocketContextValue | null>(null);

export function SocketProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<DashboardSocket | null>(null);
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [connection, setConnection] = useState(0);
  const rooms = useRef(new Map<string, number>());

  useEffect(() => {
    // Created in an effect: the page is also rendered on the server, where there is no origin.
    const s: DashboardSocket = io("/dashboard", { withCredentials: true });
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = 1000;
    const onConnect = () => {
      retryDelay = 1000;
      for (const room of rooms.current.keys()) s.emit("subscribe", room);
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
    };
  }, []);

  // `join` depends on the socket only, so a reconnect does not make rooms leave and rejoin.
  const join = useCallback(
    (room: string) => {
      const n = rooms.current.get(room) ?? 0;
      rooms.current.set(room, n + 1);
      if (n === 0 && socket?.connected) socket.emit("subscribe", room);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const m = (rooms.current.get(room) ?? 1) - 1;
        if (m > 0) {
          rooms.current.set(room, m);
        } else {
          rooms.current.delete(room);
          if (socket?.connected) socket.emit("unsubscribe", room);
        }
      };
    },
    [socket],
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

/** Join a room (e.g. `task:<id>`) while mounted. */
export function useSocketRoom(room: string | null) {
  const { join, socket } = useSocketContext();
  useEffect(() => {
    if (!room || !socket) return;
    return join(room);
  }, [room, socket, join]);
}
