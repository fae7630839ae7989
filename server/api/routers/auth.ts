import { publicProcedure, router } from "../trpc";

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) =>
    ctx.principal?.kind === "user" ? { username: ctx.principal.username } : ctx.principal ? { username: `token:${ctx.principal.token.name}` } : null,
  ),
});
