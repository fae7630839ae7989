// Agents and their stored resource samples.
import type { Db } from "../db";
import type { AgentRepository } from "../ports";
import { agentFromRow } from "./columns";

export class SqliteAgents implements AgentRepository {
  constructor(private readonly db: Db) {}

  async all() {
    return (await this.db.agent.findMany({ orderBy: { createdAt: "asc" } })).map(agentFromRow);
  }

  async samples(agentId: string, since: number) {
    const rows = await this.db.agentSample.findMany({ where: { agentId, at: { gte: new Date(since) } }, orderBy: { at: "asc" }, take: 2000 });
    return rows.map((s) => ({ at: s.at.getTime(), cpu: s.cpu, memoryMb: s.memoryMb }));
  }
}
