"use client";
// People and their roles (admins only). Every command answers with the changed user, which
// replaces its row in the cached list; errors carry the server's sentence ("Cannot demote the
// last enabled admin.").
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "./trpc";

export type UserRow = RouterOutputs["users"]["find"][number];

export function useUsers() {
  const trpc = useTRPC();
  return useQuery(trpc.users.find.queryOptions());
}

function useReplaceUser() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return (user: UserRow) =>
    qc.setQueryData(trpc.users.find.queryKey(), (old) => {
      if (!old) return old;
      return old.some((u) => u.id === user.id) ? old.map((u) => (u.id === user.id ? user : u)) : [...old, user];
    });
}

export function useCreateUser() {
  const trpc = useTRPC();
  const onSuccess = useReplaceUser();
  return useMutation(trpc.users.create.mutationOptions({ onSuccess }));
}

export function useSetUserRole() {
  const trpc = useTRPC();
  const onSuccess = useReplaceUser();
  return useMutation(trpc.users.setRole.mutationOptions({ onSuccess }));
}

export function useSetUserDisabled() {
  const trpc = useTRPC();
  const onSuccess = useReplaceUser();
  return useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess }));
}

export function useResetPassword() {
  const trpc = useTRPC();
  const onSuccess = useReplaceUser();
  return useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess }));
}
