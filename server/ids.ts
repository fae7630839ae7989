// Ids: a prefix, a time part that sorts, and randomness. Sortable ids keep the newest tasks
// together in indexes and make logs easier to read.
import { randomFillSync } from "node:crypto";

let last = 0;
let seq = 0;

// Random bytes come from a pool refilled 4 KiB at a time: one syscall per ~800 ids instead of
// one per id (ids are made per message on the hot path).
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString("hex", poolAt - bytes, poolAt);
}

export function newId(prefix: string): string {
  const now = Date.now();
  seq = now === last ? seq + 1 : 0;
  last = now;
  const time = now.toString(36).padStart(9, "0") + seq.toString(36).padStart(3, "0");
  return `${prefix}_${time}${randomHex(5)}`;
}
