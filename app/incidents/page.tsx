import type { Metadata } from "next";
import { isIncidentKind } from "@/lib/client/incident-patches";
import { IncidentsView } from "./_components/incidents-view";

export const metadata: Metadata = { title: "Incidents" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const kind = first((await searchParams).kind);
  return <IncidentsView initialKind={isIncidentKind(kind) ? kind : undefined} />;
}
