import type { Metadata } from "next";
import { PoolDetailView } from "./_components/pool-detail-view";

export const metadata: Metadata = { title: "Pool" };

export default async function PoolPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <PoolDetailView name={decodeURIComponent(name)} />;
}
