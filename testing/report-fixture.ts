// A fleet report's figures for renderer and report-service tests: one day of a small fleet.
import type { FleetReport } from "@/lib/api/reports";
import type { StatView } from "@/lib/api/insight";

export const T = Date.parse("2026-11-30T08:00:00Z");
export const H = 3_600_000;

export const stat = (over: Partial<StatView> = {}): StatView => ({
  submitted: 0, started: 0, finished: 0, succeeded: 0, failed: 0, dead: 0, canceled: 0, retries: 0, successRate: null, throughputPerHour: 0,
  waitP50Ms: null, waitP95Ms: null, waitP99Ms: null, waitMeanMs: null, runP50Ms: null, runP95Ms: null, runP99Ms: null, runMeanMs: null,
  busySlotHours: 0, availableSlotHours: 0, utilisation: null, cpuMeanPct: null, memMeanMb: null, ...over,
});

export const report = (over: Partial<FleetReport> = {}): FleetReport => ({
  title: "Daily fleet report",
  from: T,
  to: T + 24 * H,
  previousFrom: T - 24 * H,
  timeZone: "Europe/Berlin",
  generatedAt: T + 24 * H,
  simulated: null,
  fleet: { now: stat({ finished: 1234, succeeded: 1200, failed: 34, successRate: 1200 / 1234, waitP95Ms: 18_000, waitP50Ms: 1_200, runP95Ms: 240_000, utilisation: 0.62 }), previous: stat({ finished: 1000, succeeded: 990, failed: 10, successRate: 0.99, waitP95Ms: 9_000, waitP50Ms: 1_000, runP95Ms: 200_000, utilisation: 0.5 }) },
  series: Array.from({ length: 24 }, (_, i) => ({ at: T + i * H, succeeded: 40 + i, failed: i % 5 === 0 ? 6 : 1 })),
  stepMs: H,
  capabilities: [{ key: "gpu", now: stat({ finished: 400, successRate: 0.97, waitP95Ms: 1_080_000 }), previous: stat({ finished: 380, waitP95Ms: 600_000 }) }],
  errors: [{ id: "e1", title: "CUDA out of memory <script>", count: 21, status: "open", firstSeen: T + 3 * H, isNew: true }],
  bottlenecks: [{ title: "capability gpu: 42 tasks waited p95 18 min", evidence: ["2 agents", "100 % busy for 6 h"] }],
  capacity: [{ capability: "gpu", slotsNow: 4, peakSlotsNeeded: 6, shortfalls: ["Mon 09–12: 2 more slots"] }],
  alerts: { fired: 3, resolved: 2, byRule: [{ name: "AgentOffline", severity: "critical", fired: 3 }] },
  approvals: [{ template: "release-train@3", stepId: "approve", decided: 5, waitP50Ms: 600_000, waitP95Ms: 3_600_000 }],
  ...over,
});

