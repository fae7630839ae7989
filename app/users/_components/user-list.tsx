"use client";
import { memo } from "react";
import { formatTimestamp } from "@/lib/client/format";
import { useMe } from "@/lib/client/use-session";
import { useSetUserDisabled, useSetUserRole, useUsers, type UserRow } from "@/lib/client/use-users";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, Panel } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";
import { ResetPassword } from "./reset-password";
import { RoleSelect } from "./role-select";

const STATE_TONE = {
  active: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  disabled: "bg-zinc-500/15 text-zinc-600",
};

/** One user: who, since when, last sign-in; and the controls to change their role, access and password. */
const UserItem = memo(function UserItem({ user, isMe }: { user: UserRow; isMe: boolean }) {
  const setRole = useSetUserRole();
  const setDisabled = useSetUserDisabled();
  const state = user.disabled ? "disabled" : "active";
  return (
    <li data-testid="user-row" data-username={user.username} data-role={user.role} data-state={state} className="flex flex-col gap-3 border-b border-line py-3 last:border-b-0 lg:flex-row lg:flex-wrap lg:items-start">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium break-all">{user.username}</span>
          {isMe && <span className="text-xs text-muted">(you)</span>}
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_TONE[state]}`} data-testid="user-state">
            {state}
          </span>
        </div>
        <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
          <span title={formatTimestamp(user.createdAt)}>
            added by <span className="break-all">{user.createdBy}</span> <TimeAgo at={user.createdAt} />
          </span>
          <span>
            last sign-in <TimeAgo at={user.lastLoginAt} never="never" />
          </span>
        </div>
      </div>
      <div className="flex flex-wrap items-start gap-2 lg:justify-end">
        <div className="w-32">
          <RoleSelect
            label={`Role of ${user.username}`}
            value={user.role}
            disabled={setRole.isPending}
            testId="user-role"
            onChange={(role) => {
              setDisabled.reset();
              setRole.mutate({ id: user.id, role });
            }}
          />
        </div>
        {user.disabled ? (
          <ConfirmButton testId="enable-user" question={`Let ${user.username} sign in again?`} confirmLabel="Enable" pending={setDisabled.isPending} onConfirm={() => setDisabled.mutate({ id: user.id, disabled: false })}>
            Enable
          </ConfirmButton>
        ) : (
          <ConfirmButton
            testId="disable-user"
            variant="danger"
            question="Disable? Their sessions end now."
            confirmLabel="Disable"
            pending={setDisabled.isPending}
            onConfirm={() => {
              setRole.reset();
              setDisabled.mutate({ id: user.id, disabled: true });
            }}
          >
            Disable
          </ConfirmButton>
        )}
        <ResetPassword user={user} />
      </div>
      {(setRole.error || setDisabled.error) && (
        <div className="space-y-1 lg:basis-full">
          <ErrorNotice error={setRole.error} title="Role not changed" />
          <ErrorNotice error={setDisabled.error} title={user.disabled ? "Not enabled" : "Not disabled"} />
        </div>
      )}
    </li>
  );
});

export function UserList() {
  const { data, error, isPending } = useUsers();
  const { data: me } = useMe();
  return (
    <Panel title={data ? `Users (${data.length})` : "Users"}>
      {isPending ? (
        <Loading label="Loading users…" />
      ) : error ? (
        <ErrorNotice error={error} title="Could not load users" />
      ) : (
        <ul data-testid="user-list" className="-my-3">
          {data.map((u) => (
            <UserItem key={u.id} user={u} isMe={me?.kind === "user" && me.username === u.username} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
