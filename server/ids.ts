// Ids: a prefix, a time part that sorts, and randomness. Sortable ids keep the newest tasks
// together in indexes and make logs easier to read.
import { randomBytes } from "node:crypto";

let last = 0;
let seq = 0;

export function newId(prefix: string): string {
  const now = Date.now();
  seq = now === last ? seq + 1 : 0;
  last = now;
  const time = now.toString(36).padStart(9, "0") + seq.toString(36).padStart(3, "0");
  return `${prefix}_${time}${randomBytes(5).toString("hex")}`;
}
