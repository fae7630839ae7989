// The handshake check of the namespaces only agents use (/agents, /pool-hosts): a token that may
// act as an agent, or the connection is refused with the reason.
import type { Socket } from "socket.io";
import { actorOf } from "@/server/auth/principal";
import type { TokenService, VerifiedToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { can, deniedMessage } from "@/lib/policy";

export function agentTokenAuth(tokens: TokenService) {
  return async (socket: Socket & { data: { token?: VerifiedToken } }, next: (err?: Error) => void) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      const verified = await tokens.verify(typeof token === "string" ? token : undefined);
      const actor = actorOf({ kind: "token", token: verified });
      if (!can(actor, "agent")) throw new AppError("FORBIDDEN", deniedMessage(actor, "agent"));
      socket.data.token = verified;
      next();
    } catch (e) {
      next(new Error(e instanceof AppError ? e.message : "authentication failed"));
    }
  };
}
