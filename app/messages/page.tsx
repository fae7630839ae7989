import type { Metadata } from "next";
import { ChannelView } from "./_components/channel-view";

export const metadata: Metadata = { title: "Channels" };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<{ channel?: string }> }) {
  const { channel } = await searchParams;
  return <ChannelView initial={channel ?? "general"} />;
}
