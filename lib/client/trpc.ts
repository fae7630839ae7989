"use client";
// The typed tRPC hooks for the dashboard. All procedures are plain queries and mutations over
// `httpBatchLink`; live updates come from the /dashboard socket, not from tRPC subscriptions.
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
