"use client";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";
import { IfCan } from "@/components/if-can";
import { TimeAgo } from "@/components/time-ago";
import { useConversation, useSendMessage, type ConversationKey } from "@/lib/client/use-messages";

const IMPORTANCE_TONE: Record<string, string> = {
  urgent: "text-red-600 dark:text-red-400",
  high: "text-amber-700 dark:text-amber-400",
  normal: "text-muted",
  low: "text-muted",
};

/**
 * A conversation, live: what an agent said and was told, or what was posted on a channel; and
 * a box for an operator (or admin) to write to that agent or channel.
 */
export function Conversation({ target }: { target: ConversationKey & { name: string } }) {
  const key: ConversationKey = "agentId" in target ? { agentId: target.agentId } : { channel: target.channel };
  const agentId = "agentId" in target ? target.agentId : null;
  const { data, error } = useConversation(key);
  const send = useSendMessage();
  const [body, setBody] = useState("");

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    const to = "agentId" in target ? { agent: target.agentId } : { channel: target.channel };
    send.mutate({ to, body }, { onSuccess: () => setBody("") });
  }

  return (
    <div className="space-y-3">
      <ErrorNotice error={error} title="Could not load messages" />
      <ul className="max-h-96 space-y-2 overflow-y-auto" data-testid="conversation">
        {(data ?? []).length === 0 && <li className="text-sm text-muted">No messages yet.</li>}
        {(data ?? []).map((m) => {
          const outgoing = m.from.agentId === agentId;
          return (
            <li key={m.id} data-testid="conversation-message" className={`rounded-md border border-line p-2 text-sm ${outgoing ? "ml-6 bg-surface-2" : "mr-6 bg-surface"}`}>
              <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-muted">
                <span className="font-medium text-fg">{outgoing ? `${target.name} → ${m.to.kind === "agent" ? m.to.value : `${m.to.kind} ${m.to.value}`}` : m.from.name}</span>
                {m.importance !== "normal" && <span className={IMPORTANCE_TONE[m.importance]}>{m.importance}</span>}
                {m.replyTo && <span>reply</span>}
                <TimeAgo at={m.createdAt} />
              </div>
              <p className="mt-1 break-words whitespace-pre-wrap">{m.body}</p>
            </li>
          );
        })}
      </ul>
      <IfCan permission="operate">
        <form onSubmit={onSubmit} className="flex gap-2">
          <input value={body} onChange={(e) => setBody(e.target.value)} placeholder={`Message ${target.name}…`} className={inputClass} data-testid="message-input" maxLength={65536} />
          <Button type="submit" variant="primary" disabled={send.isPending || !body.trim()} data-testid="send-message">
            Send
          </Button>
        </form>
        <ErrorNotice error={send.error} title="Not sent" />
      </IfCan>
    </div>
  );
}
