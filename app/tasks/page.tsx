import type { Metadata } from "next";
import { TASK_STATUSES, type TaskStatus } from "@/lib/api";
import { TaskBrowser } from "./_components/task-browser";

export const metadata: Metadata = { title: "Tasks" };

const STATUSES: readonly TaskStatus[] = TASK_STATUSES;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const status = first(params.status);
  return (
    <TaskBrowser
      initial={{
        status: (STATUSES as string[]).includes(status) ? (status as TaskStatus) : undefined,
        agentId: first(params.agent) || undefined,
        search: first(params.q) || undefined,
      }}
    />
  );
}
