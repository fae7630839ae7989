"use client";
// Client-side plumbing for every page: React Query, the typed tRPC client, the shared socket and
// the listeners that keep the cache live.
import { useState, type ReactNode } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";
import { TRPCProvider } from "./trpc";
import { SocketProvider } from "./socket";
import { useFleetSync } from "./use-fleet-sync";
import { errorCode } from "./error-message";

/** A lost session sends the user to sign in again, then back here. */
function redirectIfSignedOut(err: unknown) {
  if (errorCode(err) !== "UNAUTHORIZED" || typeof window === "undefined") return;
  if (window.location.pathname.startsWith("/login")) return;
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: redirectIfSignedOut }),
    mutationCache: new MutationCache({ onError: redirectIfSignedOut }),
    defaultOptions: {
      queries: {
        // Pushes keep cached data current, so nothing refetches on focus or on a timer.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => {
          const code = errorCode(err);
          if (code && code !== "INTERNAL_SERVER_ERROR" && code !== "TIMEOUT") return false;
          return count < 2;
        },
      },
    },
  });
}

function trpcUrl() {
  if (typeof window !== "undefined") return "/api/trpc";
  // Only reached if something fetches during server rendering, which the pages do not do.
  return `http://127.0.0.1:${process.env.PORT ?? 3000}/api/trpc`;
}

function FleetSync() {
  useFleetSync();
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: trpcUrl() })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <SocketProvider>
          <FleetSync />
          {children}
        </SocketProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
