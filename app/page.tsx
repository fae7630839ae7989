import { Suspense } from "react";
import { PageHeader } from "@/components/panel";
import { AgentGrid } from "./_components/agent-grid";
import { FleetStats } from "./_components/fleet-stats";
import { IncidentStrip } from "./_components/incident-strip";

export default function FleetPage() {
  return (
    <>
      <PageHeader title="Fleet" subtitle="Agents and work, live." />
      {/* Each section its own boundary: React hydrates them one at a time and yields in between,
          so a phone's main thread is not held by one long hydration task. */}
      <Suspense>
        <FleetStats />
      </Suspense>
      <Suspense>
        <IncidentStrip />
      </Suspense>
      <Suspense>
        <AgentGrid />
      </Suspense>
    </>
  );
}
