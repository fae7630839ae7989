import { procedure, router } from "../trpc";
import type { Role, TokenScope } from "@/lib/policy";

export type Me = { kind: "user"; username: string; role: Role } | { kind: "token"; username: string; scope: TokenScope };

export const authRouter = router({
  /** Who is calling, with the role the UI uses to show or hide actions (the server checks anyway). */
  me: procedure.query(({ ctx }): Me | null => {
    const p = ctx.principal;
    if (!p) return null;
    return p.kind === "user" ? { kind: "user", username: p.user.username, role: p.user.role } : { kind: "token", username: `token:${p.token.name}`, scope: p.token.scope };
  }),
});
