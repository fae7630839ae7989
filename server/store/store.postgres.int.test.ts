// [STORE] The conformance suite against the PostgreSQL store, on a real PostgreSQL 15 started for
// this file (testing/postgres.ts): a fresh database per test, copied from one migrated template.
// Without PostgreSQL installed this fails with how to install it (SB_SKIP_POSTGRES=1 skips).
import { afterAll, beforeAll, describe } from "vitest";
import { storeConformance } from "./conformance";
import { openPostgresStore } from "./postgres";
import { skipPostgres, startMigratedPostgres } from "@/testing/postgres";

let pg: Awaited<ReturnType<typeof startMigratedPostgres>> | undefined;

describe.skipIf(skipPostgres)("[STORE] PostgreSQL", () => {
  beforeAll(async () => {
    pg = await startMigratedPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  storeConformance("postgresql", async () => {
    if (!pg) throw new Error("PostgreSQL did not start (see the beforeAll error above)");
    const store = await openPostgresStore(await pg.fresh());
    return { store, cleanup: () => store.close() };
  });
});
