import type { Metadata } from "next";
import { DeadLetterBrowser } from "./_components/dead-letter-browser";

export const metadata: Metadata = { title: "Dead letters" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function DeadLettersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = first((await searchParams).q);
  return <DeadLetterBrowser initialSearch={q || undefined} />;
}
