import { PageHeader } from "@/components/panel";
import { AgentGrid } from "./_components/agent-grid";
import { FleetStats } from "./_components/fleet-stats";
import { IncidentStrip } from "./_components/incident-strip";

export default function FleetPage() {
  return (
    <>
      <PageHeader title="Fleet" subtitle="Agents and work, live." />
      <FleetStats />
      <IncidentStrip />
      <AgentGrid />
    </>
  );
}
