import type { Metadata } from "next";
import { RUN_STATUSES, type RunStatus } from "@/lib/api";
import { RunBrowser } from "./_components/run-browser";

export const metadata: Metadata = { title: "Runs" };

const STATUSES: readonly RunStatus[] = RUN_STATUSES;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const status = first(params.status);
  return (
    <RunBrowser
      initial={{
        status: (STATUSES as string[]).includes(status) ? (status as RunStatus) : undefined,
        template: first(params.template) || undefined,
        search: first(params.q) || undefined,
      }}
    />
  );
}
