import type { Metadata } from "next";
import { insightDimensionSchema } from "@/lib/api";
import { isInsightRange } from "@/components/insight/format";
import { AnalyticsView } from "./_components/analytics-view";

export const metadata: Metadata = { title: "Analytics" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const range = first(params.range);
  const dim = insightDimensionSchema.safeParse(first(params.by));
  return <AnalyticsView initialRange={isInsightRange(range) ? range : "24h"} initialDimension={dim.success ? dim.data : "capability"} />;
}
