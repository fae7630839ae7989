import type { Metadata } from "next";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-site paths are followed after sign-in, so a crafted link cannot send users elsewhere. */
function safeNext(next: string | string[] | undefined): string {
  const n = Array.isArray(next) ? next[0] : next;
  return n && n.startsWith("/") && !n.startsWith("//") && !n.startsWith("/\\") ? n : "/";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto mt-6 max-w-sm sm:mt-16">
      <h1 className="mb-1 text-xl font-semibold tracking-tight">Sign in to Switchboard</h1>
      <p className="mb-5 text-sm text-muted">Use the operator account configured on the server.</p>
      <LoginForm next={safeNext(next)} />
    </div>
  );
}
