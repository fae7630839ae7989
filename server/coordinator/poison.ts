// Finding the record that makes a batch fail. A batch that fails for a reason retrying cannot
// fix (a constraint, a value the engine refuses — not a locked or full database) would
// otherwise be retried forever and stop every acknowledgement behind it. Instead it is split
// into single records and bisected: halves that write are written (each record at most once,
// since a failed write writes nothing), and the records that fail alone are refused.
import type { WriteBatch } from "@/server/store/ports";
import { isBusy } from "@/server/store/busy";

type Part = { key: string; batch: WriteBatch };

const empty = (): WriteBatch => ({ tasks: [], history: [], logs: [], agents: [], samples: [], messages: [], deliveries: [], acks: [], incidents: [], forgottenAgents: [] });

/** One sub-batch per record, each keyed by what it is (`task:<id>`, `message:<id>`, …). */
export function explode(b: WriteBatch): Part[] {
  const parts: Part[] = [];
  const add = (key: string, fill: (x: WriteBatch) => void) => {
    const x = empty();
    fill(x);
    parts.push({ key, batch: x });
  };
  for (const t of b.tasks) add(`task:${t.id}`, (x) => x.tasks.push(t));
  for (const h of b.history) add(`event:${h.id}`, (x) => x.history.push(h));
  for (const l of b.logs) add(`log:${l.id}`, (x) => x.logs.push(l));
  for (const a of b.agents) add(`agent:${a.id}`, (x) => x.agents.push(a));
  for (const s of b.samples) add(`sample:${s.agentId}@${s.at}`, (x) => x.samples.push(s));
  for (const m of b.messages ?? []) add(`message:${m.id}`, (x) => x.messages!.push(m));
  for (const d of b.deliveries ?? []) add(`delivery:${d.agentId}#${d.seq}`, (x) => x.deliveries!.push(d));
  for (const a of b.acks ?? []) add(`ack:${a.agentId}`, (x) => x.acks!.push(a));
  for (const i of b.incidents ?? []) add(`incident:${i.kind}@${i.at}`, (x) => x.incidents!.push(i));
  for (const id of b.forgottenAgents ?? []) add(`forget:${id}`, (x) => x.forgottenAgents!.push(id));
  return parts;
}

export function merge(parts: Part[]): WriteBatch {
  const b = empty();
  for (const { batch: p } of parts) {
    b.tasks.push(...p.tasks);
    b.history.push(...p.history);
    b.logs.push(...p.logs);
    b.agents.push(...p.agents);
    b.samples.push(...p.samples);
    b.messages!.push(...(p.messages ?? []));
    b.deliveries!.push(...(p.deliveries ?? []));
    b.acks!.push(...(p.acks ?? []));
    b.incidents!.push(...(p.incidents ?? []));
    b.forgottenAgents!.push(...(p.forgottenAgents ?? []));
  }
  return b;
}

/** Errors a retry can fix: the database locked, full, read-only for a moment, or its file gone. */
export function isTransient(e: unknown): boolean {
  if (isBusy(e)) return true;
  const text = `${(e as { code?: unknown })?.code ?? ""} ${(e as Error)?.message ?? ""}`;
  return /SQLITE_(FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM)|disk I\/O|database or disk is full|ECONNRESET|ECONNREFUSED|timed out|Timeout/i.test(text);
}

/**
 * Writes what can be written of a failing batch and returns the records that cannot, each with
 * the store's error. A transient error during the search is waited out, not counted against a record.
 */
export async function isolatePoison(batch: WriteBatch, write: (b: WriteBatch) => Promise<void>, wait: (ms: number) => Promise<void>): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  const attempt = async (parts: Part[]): Promise<Error | null> => {
    for (let tries = 0; ; tries++) {
      try {
        await write(merge(parts));
        return null;
      } catch (e) {
        if (isTransient(e) && tries < 100) {
          await wait(Math.min(500, 25 * 2 ** tries));
          continue;
        }
        return e as Error;
      }
    }
  };
  const probe = async (parts: Part[]) => {
    if (parts.length === 0) return;
    const error = await attempt(parts);
    if (!error) return;
    if (parts.length === 1) {
      refused.set(parts[0].key, error.message.split("\n")[0].slice(0, 300));
      return;
    }
    const mid = Math.ceil(parts.length / 2);
    await probe(parts.slice(0, mid));
    await probe(parts.slice(mid));
  };
  await probe(explode(batch));
  return refused;
}
