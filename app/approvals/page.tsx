import type { Metadata } from "next";
import { PageHeader } from "@/components/panel";
import { ApprovalInbox } from "./_components/approval-inbox";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader title="Approvals" subtitle="Runs waiting for a human decision, oldest first. Updates live." />
      <ApprovalInbox />
    </>
  );
}
