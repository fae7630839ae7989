import type { Metadata } from "next";
import { isErrorFilterStatus, isInsightRange } from "@/components/insight/format";
import { ErrorsView } from "./_components/errors-view";

export const metadata: Metadata = { title: "Errors" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function ErrorsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const range = first(params.range);
  const status = first(params.status);
  return <ErrorsView initial={{ range: isInsightRange(range) ? range : "24h", status: isErrorFilterStatus(status) ? status : "open", search: first(params.q) || undefined }} />;
}
