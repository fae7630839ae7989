import { z } from "zod";
import { createUserInput, resetPasswordInput, setDisabledInput, setRoleInput, userViewSchema } from "@/lib/api";
import * as identity from "@/server/services/identity";
import { procedure, router } from "../trpc";

export const usersRouter = router({
  find: procedure.output(z.array(userViewSchema)).query(({ ctx }) => identity.findUsers(ctx.svc, ctx.caller)),
  create: procedure.input(createUserInput).output(userViewSchema).mutation(({ ctx, input }) => identity.createUser(ctx.svc, ctx.caller, input)),
  setRole: procedure.input(setRoleInput).output(userViewSchema).mutation(({ ctx, input }) => identity.setRole(ctx.svc, ctx.caller, input)),
  setDisabled: procedure.input(setDisabledInput).output(userViewSchema).mutation(({ ctx, input }) => identity.setDisabled(ctx.svc, ctx.caller, input)),
  resetPassword: procedure.input(resetPasswordInput).output(userViewSchema).mutation(({ ctx, input }) => identity.resetPassword(ctx.svc, ctx.caller, input)),
});
