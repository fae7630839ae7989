"use client";
// Conversations: an agent's (what it sent and received) or a channel's. New messages are pushed
// to the `agent:<id>` / `channel:<name>` room and appended to the cached list.
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { roomFor } from "@/lib/dashboard-events";
import type { ConversationMessage } from "@/lib/messaging";
import { useSocket, useSocketRoom } from "./socket";
import { useTRPC } from "./trpc";

export type ConversationKey = { agentId: string } | { channel: string };

export function useConversation(key: ConversationKey) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const options = trpc.messages.find.queryOptions({ ...key, limit: 100 });
  const query = useQuery(options);
  const room = "agentId" in key ? roomFor.agent(key.agentId) : roomFor.channel(key.channel);
  useSocketRoom(room);
  const queryKey = options.queryKey;
  useEffect(() => {
    if (!socket) return;
    const mine = (m: ConversationMessage) =>
      "agentId" in key ? true : m.to.kind === "channel" && m.to.value === key.channel; // the room already filters agents
    const onNew = (m: ConversationMessage) => {
      if (!mine(m)) return;
      qc.setQueryData(queryKey, (old) => (old && !old.some((x) => x.id === m.id) ? [...old, m].slice(-200) : old));
    };
    socket.on("message:new", onNew);
    return () => {
      socket.off("message:new", onNew);
    };
    // `queryKey` follows `key`.
  }, [socket, qc, room]);
  return query;
}

export function useSendMessage() {
  const trpc = useTRPC();
  return useMutation(trpc.messages.send.mutationOptions());
}
