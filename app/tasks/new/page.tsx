import type { Metadata } from "next";
import { Restricted } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { SubmitTaskForm } from "./_components/submit-task-form";

export const metadata: Metadata = { title: "Submit a task" };

export default function SubmitTaskPage() {
  return (
    <>
      <PageHeader title="Submit a task" subtitle="The coordinator assigns it to a capable agent as soon as one is free." />
      <Restricted permission="create">
        <SubmitTaskForm />
      </Restricted>
    </>
  );
}
