import type { Metadata } from "next";
import { RunDetailView } from "./_components/run-detail-view";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const runId = decodeURIComponent(id);
  return <RunDetailView key={runId} id={runId} />;
}
