"use client";
// Alerts: what fires now, silences, history, and the rules and channels admins keep. The server pushes `alerts:changed` whenever an alert
// changes phase or is acknowledged, and every alert query refetches then (and every 30 s, for
// the "for 4 min" texts); the nav badge reads the firing count from the same list.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

const live = { refetchInterval: 30_000 };

export function useAlerts({ enabled = true }: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.list.queryOptions(), ...live, enabled });
}

/** Firing alerts not covered by a silence; undefined until known. */
export function useFiringCount({ enabled = true }: { enabled?: boolean } = {}) {
  return useAlerts({ enabled }).data?.firing;
}

export function useAlertHistory() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.history.queryOptions({ limit: 100 }), ...live });
}

export function useSilences() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.silences.queryOptions(), ...live });
}

function useInvalidateAlerts() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
}

export function useAcknowledge() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.acknowledge.mutationOptions({ onSuccess: invalidate }));
}

export function useCreateSilence() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.createSilence.mutationOptions({ onSuccess: invalidate }));
}

export function useExpireSilence() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.expireSilence.mutationOptions({ onSuccess: invalidate }));
}

// ---- Rules (everyone reads them; admins change them) ----

export function useAlertRules() {
  const trpc = useTRPC();
  return useQuery(trpc.alerts.rules.queryOptions());
}

export function useCreateRule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.createRule.mutationOptions({ onSuccess: invalidate }));
}

export function useUpdateRule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.updateRule.mutationOptions({ onSuccess: invalidate }));
}

export function useDeleteRule() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.deleteRule.mutationOptions({ onSuccess: invalidate }));
}

/** Rules from YAML: creates the new names, updates the ones that exist. */
export function useImportRules() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.importRules.mutationOptions({ onSuccess: invalidate }));
}

// ---- Channels (admins only, even to read: a URL may be a credential) ----

export function useAlertChannels({ enabled = true }: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.channels.queryOptions(), enabled });
}

export function useCreateChannel() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.createChannel.mutationOptions({ onSuccess: invalidate }));
}

export function useUpdateChannel() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.updateChannel.mutationOptions({ onSuccess: invalidate }));
}

export function useDeleteChannel() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAlerts();
  return useMutation(trpc.alerts.deleteChannel.mutationOptions({ onSuccess: invalidate }));
}

/** Sends one test notification now; its attempt lands in the channel's delivery log. */
export function useTestChannel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(trpc.alerts.testChannel.mutationOptions({ onSettled: (_d, _e, { id }) => qc.invalidateQueries({ queryKey: trpc.alerts.deliveries.queryKey({ id }) }) }));
}

/** A channel's last delivery attempts (retries land here too), fetched while the log is open. */
export function useChannelDeliveries(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.deliveries.queryOptions({ id, limit: 20 }), enabled });
}
