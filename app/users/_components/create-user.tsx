"use client";
import { useState, type FormEvent } from "react";
import type { Role } from "@/lib/policy";
import { useCreateUser } from "@/lib/client/use-users";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { Panel } from "@/components/panel";
import { RoleSelect } from "./role-select";

export function CreateUser() {
  const create = useCreateUser();
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const name = username.trim();
    if (!name) return setProblem("Give the user a name to sign in with.");
    if (!password) return setProblem("Choose a first password; they can be given a new one later.");
    setProblem(null);
    setCreated(null);
    create.mutate(
      { username: name, role, password },
      {
        onSuccess: (u) => {
          setCreated(`${u.username} can now sign in as ${u.role}.`);
          setUsername("");
          setPassword("");
        },
      },
    );
  }

  return (
    <Panel title="Add a user">
      <form onSubmit={onSubmit} noValidate className="space-y-3" data-testid="create-user-form">
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_9rem_minmax(0,1fr)_auto] sm:items-end">
          <Field label="Username">
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" maxLength={64} placeholder="ada" className={inputClass} data-testid="user-username-input" />
          </Field>
          <Field label="Role">
            <RoleSelect value={role} onChange={setRole} testId="user-role-input" />
          </Field>
          <Field label="Password">
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" maxLength={200} placeholder="at least 10 characters" className={inputClass} data-testid="user-password-input" />
          </Field>
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="create-user">
            {create.isPending ? "Adding…" : "Add user"}
          </Button>
        </div>
        <ErrorNotice error={problem ?? create.error} />
        {created && (
          <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="user-created">
            {created}
          </p>
        )}
      </form>
    </Panel>
  );
}
