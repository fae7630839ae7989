import type { Metadata } from "next";
import { PageHeader } from "@/components/panel";
import { CreateToken } from "./_components/create-token";
import { TokenList } from "./_components/token-list";

export const metadata: Metadata = { title: "Tokens" };

export default function TokensPage() {
  return (
    <>
      <PageHeader title="Tokens" subtitle="Agents authenticate with agent tokens; admin tokens can use the whole API." />
      <div className="space-y-4">
        <CreateToken />
        <TokenList />
      </div>
    </>
  );
}
