import type { Metadata } from "next";
import { TaskDetailView } from "./_components/task-detail-view";

export const metadata: Metadata = { title: "Task" };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TaskDetailView id={decodeURIComponent(id)} />;
}
