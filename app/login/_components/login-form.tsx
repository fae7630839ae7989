"use client";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Field, inputClass } from "@/components/field";
import { signIn } from "@/lib/client/use-session";

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn(String(form.get("username") ?? ""), String(form.get("password") ?? ""));
    if (result.ok) {
      // A full load, so every query starts over with the new session's cookie.
      window.location.assign(next);
      return;
    }
    setPending(false);
    setError(result.message);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-line bg-surface p-5" data-testid="login-form">
      <Field label="Username">
        <input name="username" autoComplete="username" required autoFocus className={inputClass} />
      </Field>
      <Field label="Password">
        <input name="password" type="password" autoComplete="current-password" required className={inputClass} />
      </Field>
      <ErrorNotice error={error} />
      <Button type="submit" variant="primary" className="w-full" disabled={pending} data-testid="login-submit">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
