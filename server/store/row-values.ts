// Converting between stored rows and plain values, shared by every store module: dates as
// epoch milliseconds in memory, JSON columns parsed leniently (a bad value reads as the fallback).
export const date = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
export const ms = (d: Date | null | undefined) => (d == null ? null : d.getTime());
export const json = (v: unknown) => JSON.stringify(v ?? null);
export const parse = <T>(s: string | null | undefined, fallback: T): T => {
  if (s == null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};
