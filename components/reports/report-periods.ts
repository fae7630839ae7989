// The /reports page's small decisions, pure: the quick periods, date inputs to instants in the
// browser's time zone and back, and a cron expression said in words when it is a common one.

const DAY = 86_400_000;

export const QUICK_PERIODS = [
  { id: "24h", label: "Last 24 h", ms: DAY },
  { id: "7d", label: "Last 7 days", ms: 7 * DAY },
  { id: "30d", label: "Last 30 days", ms: 30 * DAY },
] as const;

/** "2026-12-01" (a date input's value, a day in the browser's zone) → that day's first instant. */
export function dayStart(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const t = new Date(`${value}T00:00:00`).getTime();
  return Number.isFinite(t) ? t : null;
}

/** An instant → the date input value of its day in the browser's zone. */
export function dayValue(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** From one day through another (both included): the period, or why it is not one. */
export function periodOf(fromDay: string, toDay: string, now: number): { from: number; to: number } | { error: string } {
  const from = dayStart(fromDay);
  const toStart = dayStart(toDay);
  if (from == null) return { error: "From: pick a day." };
  if (toStart == null) return { error: "To: pick a day." };
  // The day after `toDay` begins (the zone may skip or repeat an hour that night).
  const to = Math.min(dayStart(dayValue(toStart + DAY + 2 * 3_600_000)) ?? toStart + DAY, now);
  if (to <= from) return { error: "To: must be on or after From, and not in the future." };
  if (to - from > 400 * DAY) return { error: "To: at most 400 days after From." };
  return { from, to };
}

const WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

/** "0 8 * * *" → "every day at 08:00"; "30 7 * * 1" → "Mondays at 07:30"; anything else as written. */
export function describeCron(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || !/^\d{1,2}$/.test(f[0]) || !/^\d{1,2}$/.test(f[1]) || Number(f[0]) > 59 || Number(f[1]) > 23 || f[2] !== "*" || f[3] !== "*") return `cron ${cron}`;
  const at = `${f[1].padStart(2, "0")}:${f[0].padStart(2, "0")}`;
  if (f[4] === "*") return `every day at ${at}`;
  if (/^[0-7]$/.test(f[4])) return `${WEEKDAYS[Number(f[4]) % 7]} at ${at}`;
  if (f[4] === "1-5") return `weekdays at ${at}`;
  return `cron ${cron}`;
}
