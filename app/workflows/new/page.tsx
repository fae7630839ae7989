import type { Metadata } from "next";
import { Restricted } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { NewTemplate } from "./_components/new-template";

export const metadata: Metadata = { title: "New workflow" };

export default function NewWorkflowPage() {
  return (
    <>
      <PageHeader title="New workflow template" subtitle="Write it in YAML or JSON; it is checked as you type and the graph follows." />
      <Restricted permission="admin">
        <NewTemplate />
      </Restricted>
    </>
  );
}
