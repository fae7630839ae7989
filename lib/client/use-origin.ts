"use client";
import { useSyncExternalStore } from "react";

const noop = () => () => {};

/** This dashboard's origin (e.g. "http://10.0.0.5:3000"), for commands users paste into a shell. */
export function useOrigin(): string {
  return useSyncExternalStore(noop, () => window.location.origin, () => "http://<server>");
}

/** The command that starts an agent with a token, as the CLI expects it. */
export function agentCommand(origin: string, token: string, name = "worker-1") {
  return `npx switchboard agent --server ${origin} --token ${token} --name ${name} --capability shell -- sh -c '{{command}}'`;
}
