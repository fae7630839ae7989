import type { Metadata } from "next";
import { TemplateView } from "./_components/template-view";

export const metadata: Metadata = { title: "Workflow" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function WorkflowPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { name } = await params;
  const query = await searchParams;
  const version = Number(first(query.version));
  return <TemplateView key={name} name={decodeURIComponent(name)} initialVersion={Number.isInteger(version) && version > 0 ? version : undefined} focusRun={first(query.run) === "1"} />;
}
