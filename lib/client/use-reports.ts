"use client";
// Reports and their schedules. A report takes the server a moment to make; the list refetches
// after every change and every minute (a schedule may have produced one meanwhile).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

export function useReports() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.reports.list.queryOptions({ limit: 50 }), refetchInterval: 60_000 });
}

function useInvalidateReports() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.reports.pathKey() });
}

export function useCreateReport() {
  const trpc = useTRPC();
  const invalidate = useInvalidateReports();
  return useMutation(trpc.reports.create.mutationOptions({ onSuccess: invalidate }));
}

export function useRunSchedule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateReports();
  return useMutation(trpc.reports.runSchedule.mutationOptions({ onSuccess: invalidate }));
}

export function useCreateSchedule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateReports();
  return useMutation(trpc.reports.createSchedule.mutationOptions({ onSuccess: invalidate }));
}

export function useUpdateSchedule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateReports();
  return useMutation(trpc.reports.updateSchedule.mutationOptions({ onSuccess: invalidate }));
}

export function useDeleteSchedule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateReports();
  return useMutation(trpc.reports.deleteSchedule.mutationOptions({ onSuccess: invalidate }));
}
