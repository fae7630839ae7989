import type { Metadata } from "next";
import { TemplateList } from "./_components/template-list";

export const metadata: Metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return <TemplateList />;
}
