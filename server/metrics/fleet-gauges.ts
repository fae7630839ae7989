// Gauges of what the fleet looks like now, computed when Prometheus scrapes (prom-client
// `collect()`) from the coordinator's and the alert engine's live state: nothing is kept up to
// date between scrapes, so they cost nothing while nobody looks, and cannot drift.
import { Gauge, type Registry } from "prom-client";
import { AGENT_STATUSES, type AgentStatus } from "@/lib/api";
import { severitySchema } from "@/lib/api/alerts";
import type { AgentState } from "@/server/core/scheduler";
import { OTHER } from "./bounded-labels";

/** What these gauges read of the coordinator. */
export interface FleetSource {
  agentList(): Readonly<AgentState>[];
  agentStatus(a: Readonly<AgentState>): AgentStatus;
}

/** What they read of the alert engine: its instances, and the silences that mute each. */
export interface AlertSource {
  list(): { alert: { phase: string; labels: Record<string, string> }; silencedBy: string[] }[];
}

const SEVERITIES: readonly string[] = severitySchema.options;

export function registerFleetGauges(registry: Registry, fleet: FleetSource, alerts: AlertSource) {
  const registers = [registry];
  new Gauge({
    name: "switchboard_agents",
    help: "Registered agents by status (online: has a free slot; busy: every slot taken; draining; offline).",
    labelNames: ["status"],
    registers,
    collect() {
      this.reset();
      const n = new Map<string, number>(AGENT_STATUSES.map((s) => [s, 0]));
      for (const a of fleet.agentList()) {
        const s = fleet.agentStatus(a);
        n.set(s, (n.get(s) ?? 0) + 1);
      }
      for (const [status, v] of n) this.set({ status }, v);
    },
  });
  new Gauge({
    name: "switchboard_slots",
    help: "Agent slots: busy (holding an attempt, on any agent) and free (idle on a connected agent that is not draining).",
    labelNames: ["state"],
    registers,
    collect() {
      let busy = 0;
      let free = 0;
      for (const a of fleet.agentList()) {
        busy += a.tasks.size;
        const s = fleet.agentStatus(a);
        // Idle slots of a draining or offline agent are not offered, so they are not capacity.
        if (s === "online" || s === "busy") free += Math.max(0, a.slots - a.tasks.size);
      }
      this.set({ state: "busy" }, busy);
      this.set({ state: "free" }, free);
    },
  });
  new Gauge({
    name: "switchboard_alerts_firing",
    help: "Alerts firing now and not silenced (what the dashboard's badge counts), by severity.",
    labelNames: ["severity"],
    registers,
    collect() {
      this.reset();
      const n = new Map<string, number>(SEVERITIES.map((s) => [s, 0]));
      for (const { alert, silencedBy } of alerts.list()) {
        if (alert.phase !== "firing" || silencedBy.length) continue;
        const s = SEVERITIES.includes(alert.labels.severity ?? "") ? alert.labels.severity : OTHER;
        n.set(s, (n.get(s) ?? 0) + 1);
      }
      for (const [severity, v] of n) this.set({ severity }, v);
    },
  });
}
