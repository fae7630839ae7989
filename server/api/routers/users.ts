import { z } from "zod";
import { roleSchema } from "@/lib/policy";
import { callerOf, procedure, router } from "../trpc";

const byId = z.object({ id: z.string().min(1).max(64) });
const password = z.string().min(1).max(200);
const byUser = (principal: ReturnType<typeof callerOf>) => (principal.kind === "user" ? principal.user.userId : null);

export const usersRouter = router({
  find: procedure.query(({ ctx }) => ctx.sessions.findUsers()),
  create: procedure
    .input(z.object({ username: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, "letters, digits and . _ @ - only"), password, role: roleSchema }).strict())
    .mutation(({ ctx, input }) => ctx.sessions.createUser(input, ctx.principalName)),
  setRole: procedure.input(byId.extend({ role: roleSchema }).strict()).mutation(({ ctx, input }) => ctx.sessions.setRole(input.id, input.role, byUser(callerOf(ctx)))),
  setDisabled: procedure.input(byId.extend({ disabled: z.boolean() }).strict()).mutation(({ ctx, input }) => ctx.sessions.setDisabled(input.id, input.disabled, byUser(callerOf(ctx)))),
  resetPassword: procedure.input(byId.extend({ password }).strict()).mutation(({ ctx, input }) => ctx.sessions.resetPassword(input.id, input.password)),
});
