// [STORE] The PostgreSQL schema is derived from prisma/schema.prisma (scripts/prisma-postgres.mjs):
// a change to the one schema that is not carried over fails here, in CI, not at a deploy. That
// the PostgreSQL migrations build exactly this schema is migrations.int.test.ts (a real server).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..", "..");

describe("[STORE] PostgreSQL schema", () => {
  it("prisma/postgresql/schema.prisma is what scripts/prisma-postgres.mjs derives from prisma/schema.prisma", () => {
    let out = "";
    try {
      out = execFileSync(process.execPath, [path.join(root, "scripts", "prisma-postgres.mjs"), "--check"], { cwd: root, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string };
      throw new Error(err.stderr || err.stdout || String(e));
    }
    expect(out).toMatch(/up to date/);
  });
});
