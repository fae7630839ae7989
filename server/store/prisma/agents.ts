// Agents and their stored resource samples.
import type { PrismaModels as Db } from "./client";
import type { AgentRepository } from "../ports";
import { agentFromRow } from "../sqlite/columns";

export class PrismaAgents implements AgentRepository {
  constructor(private readonly db: Db) {}

  async all() {
    // Agents first written in one batch share a createdAt: ids (time-sortable) break the tie, in
    // the order they were created. Without it SQLite answered in insertion order and PostgreSQL
    // in whatever order its heap holds the rows (an updated row moves).
    return (await this.db.agent.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(agentFromRow);
  }

  async samples(agentId: string, since: number) {
    const rows = await this.db.agentSample.findMany({ where: { agentId, at: { gte: new Date(since) } }, orderBy: { at: "asc" }, take: 2000 });
    return rows.map((s) => ({ at: s.at.getTime(), cpu: s.cpu, memoryMb: s.memoryMb }));
  }
}
