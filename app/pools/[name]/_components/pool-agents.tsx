"use client";
// The pool's agents: name (a link to the agent once it has connected), state, PID, busy slots.
import Link from "next/link";
import type { PoolView } from "@/lib/api/pools";
import { TimeAgo } from "@/components/time-ago";
import { InstanceStateBadge } from "@/components/pools/pool-badges";

export function PoolAgents({ pool: p }: { pool: PoolView }) {
  if (p.instances.length === 0)
    return <p className="text-sm text-muted">{p.provider === "external" ? "An external pool's agents are started elsewhere (KEDA reads /api/v1/pools/" + p.name + "/scaler); none is connected now." : "No agents: the pool is at zero."}</p>;
  return (
    <ul className="divide-y divide-line" data-testid="instance-list">
      {p.instances.map((i) => (
        <li key={i.name} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 py-2 text-sm sm:grid-cols-[minmax(0,1fr)_6rem_6rem_10rem]" data-testid="instance" data-name={i.name} data-state={i.state} data-pid={i.pid ?? ""}>
          <span className="min-w-0 truncate font-mono">
            {i.agentId ? (
              <Link href={`/agents/${encodeURIComponent(i.agentId)}`} className="text-accent hover:underline" data-testid="instance-link">
                {i.name}
              </Link>
            ) : (
              i.name
            )}
          </span>
          <span className="justify-self-end sm:justify-self-start">
            <InstanceStateBadge state={i.state} />
          </span>
          <span className="text-xs text-muted tabular-nums">pid {i.pid ?? "—"}</span>
          <span className="justify-self-end text-xs text-muted tabular-nums sm:justify-self-start">
            {i.busySlots}/{p.card.slots} busy · started <TimeAgo at={i.startedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
