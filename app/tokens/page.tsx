import type { Metadata } from "next";
import { Restricted } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { CreateToken } from "./_components/create-token";
import { TokenList } from "./_components/token-list";

export const metadata: Metadata = { title: "Tokens" };

export default function TokensPage() {
  return (
    <>
      <PageHeader title="Tokens" subtitle="Agents and scripts authenticate with a token; its scope decides what it may do." />
      <Restricted permission="admin">
        <div className="space-y-4">
          <CreateToken />
          <TokenList />
        </div>
      </Restricted>
    </>
  );
}
