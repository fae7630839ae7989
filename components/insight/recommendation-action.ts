// What a recommendation's action asks of the reader: a drain the dashboard can do itself (for
// operators), or an instruction for changes made outside it (an agent's slots are set where
// its runner starts; the balancing strategy is the server's setting or a task's). Pure.
import type { RecommendationView } from "@/lib/api";

export type ActionView =
  | { kind: "drain"; agentId: string; agentName: string; label: string }
  | { kind: "instruction"; text: string };

export function actionView(action: RecommendationView["action"]): ActionView | null {
  if (!action) return null;
  switch (action.kind) {
    case "drain_agent":
      return { kind: "drain", agentId: action.agentId, agentName: action.agentName, label: `Drain ${action.agentName}` };
    case "raise_slots":
      return {
        kind: "instruction",
        text: `Raise ${action.agentName}'s slots from ${action.from} to ${action.to}: restart its runner with --slots ${action.to}.`,
      };
    case "add_capacity":
      return {
        kind: "instruction",
        text: `Add ${action.slots} ${action.slots === 1 ? "slot" : "slots"} for ${action.capability}: start another agent that offers it, or raise --slots on one that does.`
      };
    case "set_strategy":
      return {
        kind: "instruction",
        text: `Balance ${action.capability} by load: start the server with SWITCHBOARD_STRATEGY=${action.strategy}, or submit its tasks with --strategy ${action.strategy}.`
      };
  }
}
