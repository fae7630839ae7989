// Where each insight table's CSV comes from: the REST routes answer `?format=csv` (the browser's
// session cookie signs the request), with the same query as the page so the file holds what the
// table shows.
export type CsvRoute = "summary" | "errors" | "capacity" | "recommendations";

export function csvHref(route: CsvRoute, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams({ format: "csv" });
  for (const [k, v] of Object.entries(params)) if (v != null && v !== "") q.set(k, String(v));
  return `/api/v1/analytics/${route}?${q.toString()}`;
}
