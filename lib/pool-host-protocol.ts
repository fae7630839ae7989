// The pool-host protocol: `switchboard pool-host` on any machine connects to the Socket.IO
// namespace /pool-hosts with an agent token and starts and stops a `host` pool's agents there
// on the coordinator's command. Pools then span machines with nothing but the agent protocol:
// the agents it starts are ordinary runners that connect back with the host's token.
import { z } from "zod";
import { agentCardSchema } from "./protocol";

/** What an agent of a pool is started with (the runner's flags and environment). */
export const poolAgentSpecSchema = z.object({
  pool: z.string().min(1).max(40),
  name: agentCardSchema.shape.name,
  slots: z.number().int().min(1),
  capabilities: z.array(z.object({ name: z.string(), level: z.number().int() })),
  labels: z.record(z.string(), z.string()),
  template: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  drainTimeoutMs: z.number().int().min(0),
});
export type PoolAgentSpec = z.infer<typeof poolAgentSpecSchema>;

export const hostHelloSchema = z.object({
  name: z.string().min(1).max(80),
  /** At most this many agents at once on this host. */
  max: z.number().int().min(0).max(10_000),
  /** The pools it serves; empty: every `host` pool. */
  pools: z.array(z.string().min(1).max(40)).max(100).default([]),
  /** What it runs now: after a reconnect, the coordinator adopts these instead of starting more. */
  running: z.array(z.object({ name: z.string(), pool: z.string(), pid: z.number().int() })).max(10_000).default([]),
});
export type HostHello = z.infer<typeof hostHelloSchema>;

export const hostExitedSchema = z.object({ name: z.string(), code: z.number().int().nullable(), signal: z.string().nullable() });

/** The runner's argv (after `node <runner>`): the same for the server's own local pools and for hosts. */
export function runnerArgv(spec: PoolAgentSpec, serverUrl: string): string[] {
  return [
    "agent",
    "--server", serverUrl,
    "--name", spec.name,
    "--slots", String(spec.slots),
    ...spec.capabilities.flatMap((c) => ["--capability", `${c.name}:${c.level}`]),
    ...Object.entries({ ...spec.labels, pool: spec.pool }).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    "--drain-timeout", `${Math.round(spec.drainTimeoutMs / 1000)}s`,
    ...(spec.template.length ? ["--", ...spec.template] : []),
  ];
}

export interface PoolHostServerToClient {
  "pool:launch": (spec: PoolAgentSpec, ack: (r: { ok: true; pid: number } | { ok: false; error: string }) => void) => void;
  "pool:stop": (req: { name: string }) => void;
}

export interface PoolHostClientToServer {
  "host:hello": (hello: HostHello, ack: (r: { ok: true; hostId: string } | { ok: false; error: { code: string; message: string } }) => void) => void;
  "host:exited": (e: z.infer<typeof hostExitedSchema>) => void;
}
