import type { Metadata } from "next";
import type { AuditOutcome } from "@/lib/client/use-audit";
import { Restricted } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { AuditBrowser } from "./_components/audit-browser";

export const metadata: Metadata = { title: "Audit" };

const OUTCOMES: AuditOutcome[] = ["ok", "denied", "failed"];

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const outcome = first(params.outcome);
  return (
    <>
      <PageHeader title="Audit" subtitle="Every change made through the API and the dashboard, and every refused attempt. Newest first." />
      <Restricted permission="admin">
        <AuditBrowser
          initial={{
            actor: first(params.actor) || undefined,
            action: first(params.action) || undefined,
            outcome: (OUTCOMES as string[]).includes(outcome) ? (outcome as AuditOutcome) : undefined,
            search: first(params.q) || undefined,
          }}
        />
      </Restricted>
    </>
  );
}
