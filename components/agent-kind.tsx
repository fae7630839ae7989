import type { AgentKind } from "@/lib/protocol";

const KIND_TONE: Record<AgentKind, string> = {
  sdk: "border-line text-muted",
  http: "border-indigo-500/40 text-indigo-700 dark:text-indigo-300",
  legacy: "border-amber-500/50 text-amber-800 dark:text-amber-300",
  mcp: "border-violet-500/40 text-violet-700 dark:text-violet-300",
};

const KIND_TITLE: Record<AgentKind, string> = {
  sdk: "Connected over a socket; work is pushed to it",
  http: "Polls over HTTP for work",
  legacy: "An old protocol version",
  mcp: "An AI agent working through MCP tools; it polls for work",
};

/** How the agent talks to the server: sdk, http, mcp or legacy. */
export function AgentKindBadge({ kind }: { kind: AgentKind }) {
  return (
    <span className={`shrink-0 rounded border px-1.5 py-0.5 text-[11px] font-medium uppercase ${KIND_TONE[kind]}`} title={KIND_TITLE[kind]} data-testid="agent-kind">
      {kind}
    </span>
  );
}
