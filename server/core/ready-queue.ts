// Priority queue of dispatchable tasks: higher priority first, FIFO within a priority.
// Tasks are grouped by requirement key (see matching.ts) so that a pass over the queue
// asks "is there an agent for this kind of task?" once per kind, not once per task: a
// thousand tasks nobody can run cost one check, not a thousand.

interface Entry {
  id: string;
  priority: number;
  seq: number;
}

/** One FIFO per priority; a dequeue is amortised O(1) because the head index only moves forward. */
class Fifo {
  private items: (Entry | undefined)[] = [];
  private head = 0;
  live = 0;
  push(e: Entry) {
    this.items.push(e);
    this.live++;
  }
  peek(): Entry | undefined {
    while (this.head < this.items.length && this.items[this.head] === undefined) this.head++;
    this.compact();
    return this.items[this.head];
  }
  shift(): Entry | undefined {
    const e = this.peek();
    if (e) {
      this.items[this.head++] = undefined;
      this.live--;
      this.compact();
    }
    return e;
  }
  /** Removal from the middle leaves a hole that peek() skips: O(n) search, but rare (cancel). */
  remove(id: string): boolean {
    for (let i = this.head; i < this.items.length; i++) {
      if (this.items[i]?.id === id) {
        this.items[i] = undefined;
        this.live--;
        return true;
      }
    }
    return false;
  }
  *entries(): Iterable<Entry> {
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i];
      if (e) yield e;
    }
  }
  private compact() {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** Tasks of one requirement key, by priority. */
class Group {
  private byPriority = new Map<number, Fifo>();
  private priorities: number[] = []; // descending
  size = 0;
  push(e: Entry) {
    let f = this.byPriority.get(e.priority);
    if (!f) {
      f = new Fifo();
      this.byPriority.set(e.priority, f);
      this.priorities.push(e.priority);
      this.priorities.sort((a, b) => b - a);
    }
    f.push(e);
    this.size++;
  }
  peek(): Entry | undefined {
    for (const p of this.priorities) {
      const e = this.byPriority.get(p)!.peek();
      if (e) return e;
    }
    return undefined;
  }
  shift(): Entry | undefined {
    for (const p of this.priorities) {
      const e = this.byPriority.get(p)!.shift();
      if (e) {
        this.size--;
        return e;
      }
    }
    return undefined;
  }
  remove(id: string, priority: number): boolean {
    const ok = this.byPriority.get(priority)?.remove(id) ?? false;
    if (ok) this.size--;
    return ok;
  }
  *entries(): Iterable<Entry> {
    for (const p of this.priorities) yield* this.byPriority.get(p)!.entries();
  }
}

export class ReadyQueue {
  private groups = new Map<string, Group>();
  private where = new Map<string, { key: string; priority: number; seq: number }>();
  private seq = 0;

  get size() {
    return this.where.size;
  }

  has(id: string) {
    return this.where.has(id);
  }

  push(id: string, key: string, priority: number) {
    if (this.where.has(id)) return;
    const seq = this.seq++;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new Group()));
    g.push({ id, priority, seq });
    this.where.set(id, { key, priority, seq });
  }

  remove(id: string): boolean {
    const w = this.where.get(id);
    if (!w) return false;
    this.where.delete(id);
    const g = this.groups.get(w.key)!;
    g.remove(id, w.priority);
    if (g.size === 0) this.groups.delete(w.key);
    return true;
  }

  /** Requirement keys that have tasks waiting. */
  keys(): string[] {
    return [...this.groups.keys()];
  }

  /** How many tasks wait in a group. */
  sizeOf(key: string): number {
    return this.groups.get(key)?.size ?? 0;
  }

  /** The best task of a group: highest priority, then oldest. */
  head(key: string): { id: string; priority: number; seq: number } | undefined {
    return this.groups.get(key)?.peek();
  }

  /** Ids in dispatch order within one group. */
  *idsOf(key: string): Iterable<string> {
    const g = this.groups.get(key);
    if (g) for (const e of g.entries()) yield e.id;
  }

  /** How many tasks would be dispatched before this one, across all groups. */
  positionOf(id: string): number {
    const w = this.where.get(id);
    if (!w) return -1;
    let n = 0;
    for (const o of this.where.values()) if (o.priority > w.priority || (o.priority === w.priority && o.seq < w.seq)) n++;
    return n;
  }
}

/** Better-first ordering of two queue heads from different groups. */
export function before(a: { priority: number; seq: number }, b: { priority: number; seq: number }) {
  return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}
