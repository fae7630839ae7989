import { describe, expect, it } from "vitest";
import { ConfigError, loadServerEnv } from "./env";

describe("[CONFIG] server environment", () => {
  it("has working defaults", () => {
    const env = loadServerEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATABASE_URL: "file:./data/switchboard.db", SWITCHBOARD_HEARTBEAT_MS: 2000, SWITCHBOARD_LEASE_TTL_MS: 6000 });
    expect(env.SWITCHBOARD_NO_UI).toBe(false);
  });

  it("names the variable that is wrong", () => {
    expect(() => loadServerEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadServerEnv({ SWITCHBOARD_STRATEGY: "fastest" })).toThrow(/SWITCHBOARD_STRATEGY/);
    expect(() => loadServerEnv({ SWITCHBOARD_ADMIN_PASSWORD: "short" })).toThrow(/SWITCHBOARD_ADMIN_PASSWORD: must be at least 8/);
    expect(() => loadServerEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be an SQLite file URL such as file:\.\/data\/switchboard\.db or a PostgreSQL URL/);
    expect(() => loadServerEnv({ DATABASE_URL: "./data/switchboard.db" })).toThrow(/DATABASE_URL/);
    expect(() => loadServerEnv({ PORT: "x" })).toThrow(ConfigError);
  });

  it("takes an SQLite file or a PostgreSQL URL for the store", () => {
    expect(loadServerEnv({ DATABASE_URL: "file:/tmp/x.db" }).DATABASE_URL).toBe("file:/tmp/x.db");
    expect(loadServerEnv({ DATABASE_URL: "postgresql://sb:pw@db:5432/switchboard" }).DATABASE_URL).toBe("postgresql://sb:pw@db:5432/switchboard");
    expect(loadServerEnv({ DATABASE_URL: "postgres://db/switchboard" }).DATABASE_URL).toBe("postgres://db/switchboard");
  });

  it("refuses a lease shorter than the heartbeat interval", () => {
    expect(() => loadServerEnv({ SWITCHBOARD_HEARTBEAT_MS: "5000", SWITCHBOARD_LEASE_TTL_MS: "4000" })).toThrow(/SWITCHBOARD_LEASE_TTL_MS: must be longer/);
  });
});
