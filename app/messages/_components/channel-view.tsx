"use client";
import { useState } from "react";
import { inputClass } from "@/components/field";
import { Panel, PageHeader } from "@/components/panel";
import { Conversation } from "@/components/messages/conversation";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";

const CHANNEL = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** One channel's conversation, live; agents join channels with `--channel <name>`. */
export function ChannelView({ initial }: { initial: string }) {
  const [draft, setDraft] = useState(initial);
  const channel = CHANNEL.test(draft) ? draft : null;
  useFilterInUrl({ channel: channel ?? undefined });
  return (
    <>
      <PageHeader title="Channels" subtitle="Messages posted on a channel reach every agent started with --channel <name>. Updates live." />
      <label className="mb-4 block max-w-sm text-sm">
        <span className="mb-1 block text-muted">Channel</span>
        <input value={draft} onChange={(e) => setDraft(e.target.value.trim())} className={inputClass} data-testid="channel-input" />
        {!channel && <span className="mt-1 block text-xs text-red-600">Use letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;:&apos; or &apos;-&apos;.</span>}
      </label>
      {channel && (
        <Panel title={`#${channel}`}>
          <Conversation key={channel} target={{ channel, name: `#${channel}` }} />
        </Panel>
      )}
    </>
  );
}
