import { buttonClass } from "@/components/button";

/** "CSV" on a table's header: downloads the same numbers as the table, from the REST API. */
export function CsvLink({ href, what, testId }: { href: string; what: string; testId?: string }) {
  return (
    <a href={href} download className={buttonClass("ghost", "min-h-9 px-2.5 text-xs")} data-testid={testId ?? "csv-link"} aria-label={`Download ${what} as CSV`} title={`Download ${what} as CSV`}>
      <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <path d="M8 2v8m0 0 3-3m-3 3L5 7M3 12.5h10" />
      </svg>
      CSV
    </a>
  );
}
