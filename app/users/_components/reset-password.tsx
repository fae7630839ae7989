"use client";
import { useState, type FormEvent } from "react";
import { useResetPassword, type UserRow } from "@/lib/client/use-users";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { inputClass } from "@/components/field";

/** "Reset password" opens a field for the new one; saving it ends the user's sessions. */
export function ResetPassword({ user }: { user: UserRow }) {
  const reset = useResetPassword();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!password) return;
    reset.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          setOpen(false);
          setPassword("");
          setDone(true);
        },
      },
    );
  }

  if (!open) {
    return (
      <div className="flex flex-col items-start gap-1 md:items-end">
        <Button
          data-testid="reset-password"
          onClick={() => {
            setDone(false);
            reset.reset();
            setOpen(true);
          }}
        >
          Reset password
        </Button>
        {done && (
          <span role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
            Password changed; their sessions ended.
          </span>
        )}
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="w-full space-y-2" data-testid="reset-password-form">
      <input
        type="password"
        aria-label={`New password for ${user.username}`}
        autoComplete="new-password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        maxLength={200}
        placeholder="New password, 10+ characters"
        className={inputClass}
        data-testid="reset-password-input"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={reset.isPending || !password} data-testid="reset-password-save">
          {reset.isPending ? "Saving…" : "Set password"}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Keep the old one
        </Button>
      </div>
      <ErrorNotice error={reset.error} title="Not changed" />
    </form>
  );
}
