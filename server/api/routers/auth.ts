import { sessionMeSchema } from "@/lib/api";
import { sessionMe } from "@/server/services/identity";
import { procedure, router } from "../trpc";

export const authRouter = router({
  /** Who is calling, with the role the UI uses to show or hide actions (the server checks anyway). */
  me: procedure.output(sessionMeSchema).query(({ ctx }) => sessionMe(ctx.svc, ctx.caller)),
});
