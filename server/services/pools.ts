// Pools: everyone reads them and why they scaled; operators change the bounds (raise max during
// an incident) and pause; admins define them (a pool starts processes on the server's machine
// and holds an agent token). Every change is audited; the pool manager does the work.
import type { z } from "zod";
import type { PoolDecisionView, PoolView, poolBoundsInput, poolDecisionsInput, poolInput, updatePoolInput } from "@/lib/api/pools";
import { describeDecision, type Rule } from "@/server/core/pools/autoscaler";
import { principalName } from "@/server/auth/principal";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import type { PoolDecisionRow, PoolRow } from "@/server/store/ports";
import type { Caller, ServiceContext } from "./context";

const decisionView = ({ poolId: _pool, ...d }: PoolDecisionRow): PoolDecisionView => ({ ...d, text: describeDecision({ ...d, rule: d.rule as Rule }) });

export function poolView(s: ServiceContext, p: PoolRow): PoolView {
  const st = s.pools.status(p);
  const last = st.last;
  return {
    id: p.id,
    name: p.name,
    provider: p.provider,
    card: p.card,
    launch: { template: p.launch.template, envKeys: Object.keys(p.launch.env), drainTimeoutMs: p.launch.drainTimeoutMs },
    policy: p.policy,
    enabled: p.enabled,
    current: st.current,
    desired: last?.to ?? st.current,
    backlog: st.backlog,
    busySlots: st.busySlots,
    atMax: !!last && last.wanted > p.policy.max && last.to >= p.policy.max,
    crashes: st.crashesInWindow,
    waitingFor: st.waitingFor,
    last: last ? decisionView({ id: 0, poolId: p.id, at: last.at, from: last.from, to: last.to, wanted: last.wanted, reactive: last.reactive, predictive: last.predictive, backlog: last.backlog, busySlots: last.busySlots, forecastSlots: last.forecastSlots, rule: last.rule, reason: last.reason }) : null,
    instances: st.instances.map((i) => ({ name: i.name, state: i.state, pid: i.pid, startedAt: i.startedAt, crashes: i.crashes, agentId: i.agentId, busySlots: i.busySlots })),
    createdBy: p.createdBy,
    updatedAt: p.updatedAt,
  };
}

const found = (s: ServiceContext, idOrName: string) => {
  const p = s.pools.poolList().find((x) => x.id === idOrName || x.name === idOrName);
  if (!p) throw new AppError("NOT_FOUND", `No pool ${idOrName}.`);
  return p;
};

export const list = (s: ServiceContext, caller: Caller) => s.read(caller, "pools.list", () => ({ pools: s.pools.poolList().map((p) => poolView(s, p)) }));

export const get = (s: ServiceContext, caller: Caller, input: { id: string }) => s.read(caller, "pools.get", () => poolView(s, found(s, input.id)));

export const decisions = (s: ServiceContext, caller: Caller, input: { id: string } & z.output<typeof poolDecisionsInput>) =>
  s.read(caller, "pools.get", async () => ({ decisions: (await s.pools.decisions(found(s, input.id).id, { limit: input.limit, since: input.since })).map(decisionView) }));

/** KEDA's metrics-api scaler: the replicas the pool wants, and what that is made of. */
export const scaler = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.read(caller, "pools.get", () => {
    const v = poolView(s, found(s, input.id));
    return { desiredReplicas: v.desired, backlog: v.backlog, busySlots: v.busySlots, currentReplicas: v.current, min: v.policy.min, max: v.policy.max };
  });

export const create = (s: ServiceContext, caller: Caller, input: z.output<typeof poolInput>) =>
  s.mutate(caller, "pools.create", async (p) => {
    if (s.pools.poolList().some((x) => x.name === input.name)) throw new AppError("CONFLICT", `name: a pool called ${input.name} exists already.`);
    const by = principalName(p);
    // A local pool's agents are started by the server, with a token of their own.
    const token = input.provider === "local" ? await s.deps.tokens.create({ name: `pool-${input.name}`, scope: "agent", createdBy: by }) : null;
    const row: PoolRow = { id: newId("pool"), ...input, tokenId: token?.token.id ?? null, tokenSecret: token?.secret ?? null, createdBy: by, updatedAt: s.deps.clock.now() };
    await s.pools.save(row);
    return poolView(s, row);
  }, { input });

export const update = (s: ServiceContext, caller: Caller, input: z.output<typeof updatePoolInput>) =>
  s.mutate(caller, "pools.update", async () => {
    const had = found(s, input.id);
    if (had.provider !== input.provider) throw new AppError("BAD_REQUEST", `provider: a pool keeps its provider (${had.provider}); make a new pool for another.`);
    if (had.name !== input.name) throw new AppError("BAD_REQUEST", `name: a pool keeps its name (${had.name}); its agents are named after it.`);
    const row: PoolRow = { ...had, card: input.card, launch: input.launch, policy: input.policy, enabled: input.enabled, updatedAt: s.deps.clock.now() };
    await s.pools.save(row);
    return poolView(s, row);
  }, { input: { ...input, launch: { ...input.launch, env: Object.keys(input.launch.env) } }, target: `pool:${input.id}` });

export const setBounds = (s: ServiceContext, caller: Caller, input: z.output<typeof poolBoundsInput>) =>
  s.mutate(caller, "pools.setBounds", async () => {
    const had = found(s, input.id);
    const row: PoolRow = { ...had, policy: { ...had.policy, min: input.min, max: input.max }, enabled: input.enabled ?? had.enabled, updatedAt: s.deps.clock.now() };
    await s.pools.save(row);
    return poolView(s, row);
  }, { input, target: `pool:${input.id}` });

export const remove = (s: ServiceContext, caller: Caller, input: { id: string }) =>
  s.mutate(caller, "pools.delete", async () => {
    const had = found(s, input.id);
    await s.pools.remove(had.id);
    if (had.tokenId) await s.deps.tokens.revoke(had.tokenId).catch(() => undefined);
    return { ok: true as const };
  }, { input, target: `pool:${input.id}` });
