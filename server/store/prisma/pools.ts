// Pools through Prisma (both SQL stores): a few pools, their instances, and a decision every few
// seconds while a pool is changing (steady pools record only changes and a heartbeat).
import type { PrismaModels as Db } from "./client";
import type { PoolDecisionRow, PoolInstanceRow, PoolRepository, PoolRow } from "../ports";
import { withBusyRetry } from "../busy";
import { parse } from "../row-values";

type Row<K extends keyof Db> = Db[K] extends { findMany(...a: never[]): Promise<(infer R)[]> } ? R : never;

const poolOf = (r: Row<"pool">): PoolRow => ({
  id: r.id,
  name: r.name,
  provider: r.provider as PoolRow["provider"],
  card: parse<PoolRow["card"]>(r.card, { capabilities: [], labels: {}, slots: 1 }),
  launch: parse<PoolRow["launch"]>(r.launch, { template: [], env: {}, drainTimeoutMs: 30_000 }),
  policy: parse<PoolRow["policy"]>(r.policy, {} as PoolRow["policy"]),
  enabled: r.enabled,
  tokenId: r.tokenId,
  tokenSecret: r.tokenSecret,
  createdBy: r.createdBy,
  updatedAt: r.updatedAt.getTime(),
});

const decisionOf = (r: Row<"poolDecision">): PoolDecisionRow => ({
  id: r.id,
  poolId: r.poolId,
  at: r.at.getTime(),
  from: r.fromCount,
  to: r.toCount,
  wanted: r.wanted,
  reactive: r.reactive,
  predictive: r.predictive,
  backlog: r.backlog,
  busySlots: r.busySlots,
  forecastSlots: r.forecastSlots,
  rule: r.rule,
  reason: r.reason,
});

export class PrismaPools implements PoolRepository {
  constructor(private readonly db: Db) {}

  async pools() {
    return (await this.db.pool.findMany({ orderBy: { name: "asc" } })).map(poolOf);
  }

  async savePool(p: PoolRow) {
    const data = { name: p.name, provider: p.provider, card: JSON.stringify(p.card), launch: JSON.stringify(p.launch), policy: JSON.stringify(p.policy), enabled: p.enabled, tokenId: p.tokenId, tokenSecret: p.tokenSecret, createdBy: p.createdBy, updatedAt: new Date(p.updatedAt) };
    await withBusyRetry("pool", () => this.db.pool.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data }));
  }

  async deletePool(id: string) {
    const [, , gone] = await withBusyRetry("pool", () =>
      this.db.$transaction([this.db.poolInstance.deleteMany({ where: { poolId: id } }), this.db.poolDecision.deleteMany({ where: { poolId: id } }), this.db.pool.deleteMany({ where: { id } })]),
    );
    return gone.count > 0;
  }

  async instances(): Promise<PoolInstanceRow[]> {
    return (await this.db.poolInstance.findMany({ orderBy: { name: "asc" } })).map((r) => ({ name: r.name, poolId: r.poolId, pid: r.pid, state: r.state as PoolInstanceRow["state"], startedAt: r.startedAt.getTime(), crashes: r.crashes }));
  }

  async saveInstance(i: PoolInstanceRow) {
    const data = { poolId: i.poolId, pid: i.pid, state: i.state, startedAt: new Date(i.startedAt), crashes: i.crashes };
    await withBusyRetry("pool instance", () => this.db.poolInstance.upsert({ where: { name: i.name }, create: { name: i.name, ...data }, update: data }));
  }

  async deleteInstance(name: string) {
    await withBusyRetry("pool instance", () => this.db.poolInstance.deleteMany({ where: { name } }));
  }

  async recordDecision(d: Omit<PoolDecisionRow, "id">) {
    await withBusyRetry("pool decision", () =>
      this.db.poolDecision.create({
        data: { poolId: d.poolId, at: new Date(d.at), fromCount: d.from, toCount: d.to, wanted: d.wanted, reactive: d.reactive, predictive: d.predictive, backlog: d.backlog, busySlots: d.busySlots, forecastSlots: d.forecastSlots, rule: d.rule, reason: d.reason },
      }),
    );
  }

  async decisions(q: { poolId: string; limit: number; since?: number }) {
    const rows = await this.db.poolDecision.findMany({ where: { poolId: q.poolId, ...(q.since != null ? { at: { gte: new Date(q.since) } } : {}) }, orderBy: { id: "desc" }, take: q.limit });
    return rows.map(decisionOf);
  }

  async pruneDecisions(before: number) {
    return (await withBusyRetry("pool decision prune", () => this.db.poolDecision.deleteMany({ where: { at: { lt: new Date(before) } } }))).count;
  }
}
