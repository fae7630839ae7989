// Server configuration, validated once at start. A bad value stops the process with a message
// that names the variable; nothing else in the server reads process.env.
import { z } from "zod";
import { strategySchema } from "./protocol";

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** `<rate>/<burst>` → numbers; the unit (per second or minute) is the variable's. */
const rate = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const m = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(v.trim());
      if (!m || Number(m[1]) <= 0 || Number(m[2]) < 1) {
        ctx.addIssue({ code: "custom", message: `must look like <rate>/<burst>, e.g. ${def}` });
        return z.NEVER;
      }
      return { rate: Number(m[1]), burst: Number(m[2]) };
    });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: int(3000, 0, 65535),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z
      .string()
      .regex(/^file:/, "only SQLite file URLs (file:./path.db) are supported by this build")
      .default("file:./data/switchboard.db"),
    SWITCHBOARD_DATA_DIR: z.string().min(1).default("./data"),
    SWITCHBOARD_HEARTBEAT_MS: int(2000, 100, 60_000),
    SWITCHBOARD_LEASE_TTL_MS: int(6000, 300, 600_000),
    SWITCHBOARD_STRATEGY: strategySchema.default("least-loaded"),
    /** After a restart, how long work held by agents waits for them to reconnect. */
    SWITCHBOARD_RESTART_GRACE_MS: int(10_000, 0, 600_000),
    SWITCHBOARD_ADMIN_USER: z.string().min(1).max(64).default("admin"),
    SWITCHBOARD_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
    SWITCHBOARD_SESSION_HOURS: int(12, 1, 24 * 30),
    /** Serve the API and sockets without the Next.js dashboard (integration tests, benchmarks). */
    SWITCHBOARD_NO_UI: z.enum(["0", "1", "true", "false"]).default("0").transform((v) => v === "1" || v === "true"),
    /** Rate limits, as `<per second>/<burst>`: per token or user, per client address. */
    SWITCHBOARD_RATE_LIMIT: rate("200/400"),
    SWITCHBOARD_IP_RATE_LIMIT: rate("500/1000"),
    /** Login attempts per address and per user name, as `<per minute>/<burst>`. */
    SWITCHBOARD_LOGIN_RATE_LIMIT: rate("5/10"),
    /** Socket.IO events per agent connection, as `<per second>/<burst>`. */
    SWITCHBOARD_SOCKET_RATE_LIMIT: rate("2000/4000"),
    /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
    SWITCHBOARD_TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0").transform((v) => v === "1" || v === "true"),
    SWITCHBOARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .refine((e) => e.SWITCHBOARD_LEASE_TTL_MS > e.SWITCHBOARD_HEARTBEAT_MS, {
    message: "must be longer than SWITCHBOARD_HEARTBEAT_MS, or every lease would expire between two heartbeats",
    path: ["SWITCHBOARD_LEASE_TTL_MS"],
  });

export type ServerEnv = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const r = schema.safeParse(source);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join(".") || "config"}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
