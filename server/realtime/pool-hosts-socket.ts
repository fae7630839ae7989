// Socket.IO namespace /pool-hosts: `switchboard pool-host` processes connect here with an agent
// token, say what they run, and take launch and stop commands (server/pools/host-registry.ts).
import type { Namespace, Server } from "socket.io";
import type { PoolAgentSpec, PoolHostClientToServer, PoolHostServerToClient } from "@/lib/pool-host-protocol";
import { hostExitedSchema, hostHelloSchema } from "@/lib/pool-host-protocol";
import type { TokenService, VerifiedToken } from "@/server/auth/tokens";
import { describeZodError } from "@/server/errors";
import { agentTokenAuth } from "./agent-token-auth";
import type { HostLink, HostRegistry } from "@/server/pools/host-registry";
import { log } from "@/server/log";

const LAUNCH_TIMEOUT_MS = 10_000;

export function attachPoolHostsSocket(io: Server, deps: { tokens: TokenService; hosts: HostRegistry }) {
  const nsp = io.of("/pool-hosts") as unknown as Namespace<PoolHostClientToServer, PoolHostServerToClient, Record<string, never>, { token: VerifiedToken; hostId?: string; link?: HostLink }>;
  // A host starts agents with its own token, so it must be one that may act as an agent.
  nsp.use(agentTokenAuth(deps.tokens) as unknown as Parameters<typeof nsp.use>[0]);
  nsp.on("connection", (socket) => {
    const link: HostLink = {
      launch: (spec: PoolAgentSpec) =>
        socket
          .timeout(LAUNCH_TIMEOUT_MS)
          .emitWithAck("pool:launch", spec)
          .catch(() => ({ ok: false as const, error: `the host did not answer within ${LAUNCH_TIMEOUT_MS / 1000} s` })),
      stop: (name) => void socket.emit("pool:stop", { name }),
    };
    socket.on("host:hello", (raw, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const h = hostHelloSchema.safeParse(raw);
      if (!h.success) return reply({ ok: false, error: { code: "BAD_REQUEST", message: `Invalid hello: ${describeZodError(h.error.issues)}.` } });
      socket.data.hostId = deps.hosts.hello(h.data, link);
      socket.data.link = link;
      log.info("pool host connected", { host: h.data.name, max: h.data.max, running: h.data.running.length });
      reply({ ok: true, hostId: socket.data.hostId });
    });
    socket.on("host:exited", (raw) => {
      const e = hostExitedSchema.safeParse(raw);
      if (e.success && socket.data.hostId) deps.hosts.exited(socket.data.hostId, e.data.name);
    });
    socket.on("disconnect", () => {
      if (socket.data.hostId) deps.hosts.disconnected(socket.data.hostId, link);
    });
  });
}
