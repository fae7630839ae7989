import type { Metadata } from "next";
import { Restricted } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { CreateUser } from "./_components/create-user";
import { UserList } from "./_components/user-list";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" subtitle="People who sign in to the dashboard. Viewers read; operators also submit, cancel, retry and approve; admins also manage users, tokens and templates." />
      <Restricted permission="admin">
        <div className="space-y-4">
          <CreateUser />
          <UserList />
        </div>
      </Restricted>
    </>
  );
}
