"use client";
import Link from "next/link";
import { buttonClass } from "@/components/button";
import { CopyButton } from "@/components/copy-button";
import { agentCommand, useOrigin } from "@/lib/client/use-origin";

/** Shown when no agent has ever registered: how to start one. */
export function FleetEmptyState() {
  const origin = useOrigin();
  const command = agentCommand(origin, "<token>");
  return (
    <div data-testid="fleet-empty" className="rounded-lg border border-dashed border-line bg-surface px-4 py-8 text-center sm:px-8">
      <h2 className="text-lg font-semibold">No agents yet</h2>
      <p className="mx-auto mt-1 max-w-xl text-sm text-muted">
        Create an agent token, then start an agent on any machine that can reach this server. It appears here as soon as it registers.
      </p>
      <pre className="mx-auto mt-4 max-w-3xl overflow-x-auto rounded-md border border-line bg-surface-2 px-3 py-2.5 text-left font-mono text-xs whitespace-pre-wrap break-all sm:text-sm">
        {command}
      </pre>
      <div className="mt-4 flex flex-wrap justify-center gap-2">
        <Link href="/tokens" className={buttonClass("primary")}>
          Create a token
        </Link>
        <CopyButton text={command} label="Copy command" />
      </div>
    </div>
  );
}
