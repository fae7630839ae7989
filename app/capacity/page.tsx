import type { Metadata } from "next";
import { DEFAULT_TARGET_WAIT_MS, TARGET_WAITS } from "@/components/insight/format";
import { isHorizon } from "@/components/insight/capacity-chart";
import { CapacityView } from "./_components/capacity-view";

export const metadata: Metadata = { title: "Capacity" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function CapacityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const target = Number(first(params.target));
  const horizon = first(params.horizon);
  return <CapacityView initialTargetMs={TARGET_WAITS.some((t) => t.ms === target) ? target : DEFAULT_TARGET_WAIT_MS} initialHorizon={isHorizon(horizon) ? horizon : "24h"} />;
}
