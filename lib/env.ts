// Server configuration, validated once at start. A bad value stops the process with a message
// that names the variable; nothing else in the server reads process.env.
import { z } from "zod";
import { parseDuration } from "./durations";
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

/** "7d", "12h", "30m", "90s" → milliseconds; "never" (or "0") → null. */
const durationOrNever = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const t = v.trim().toLowerCase();
      if (t === "never" || t === "0") return null;
      const ms = parseDuration(t);
      if (ms == null) {
        ctx.addIssue({ code: "custom", message: `must be a duration like 7d, 12h or 30m, or "never"` });
        return z.NEVER;
      }
      return ms;
    });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: int(3000, 0, 65535),
    HOST: z.string().min(1).default("0.0.0.0"),
    /** The store: an SQLite file (the default) or PostgreSQL (server/store/open.ts). */
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must be an SQLite file URL such as file:./data/switchboard.db or a PostgreSQL URL such as postgresql://user:password@localhost:5432/switchboard")
      .default("file:./data/switchboard.db"),
    SWITCHBOARD_DATA_DIR: z.string().min(1).default("./data"),
    SWITCHBOARD_HEARTBEAT_MS: int(2000, 100, 60_000),
    SWITCHBOARD_LEASE_TTL_MS: int(6000, 300, 600_000),
    SWITCHBOARD_STRATEGY: strategySchema.default("least-loaded"),
    /** After a restart, how long work held by agents waits for them to reconnect. */
    SWITCHBOARD_RESTART_GRACE_MS: int(10_000, 0, 600_000),
    /** Offline agents that hold no work are forgotten after this long ("never" keeps them). */
    SWITCHBOARD_FORGET_OFFLINE_AFTER: durationOrNever("7d"),
    /** How long history is kept ("never" keeps it): task logs, finished tasks, agent samples, rollups. */
    SWITCHBOARD_RETAIN_LOGS: durationOrNever("14d"),
    SWITCHBOARD_RETAIN_TASKS: durationOrNever("90d"),
    SWITCHBOARD_RETAIN_SAMPLES: durationOrNever("7d"),
    /** Per-minute rollups serve the last hours; hourly and daily ones serve long ranges. */
    SWITCHBOARD_RETAIN_MINUTE_ROLLUPS: durationOrNever("2d"),
    SWITCHBOARD_RETAIN_ROLLUPS: durationOrNever("400d"),
    /** "off" records no analytics history (rollups, error groups): bench:analytics measures what they cost. */
    SWITCHBOARD_ANALYTICS: z.enum(["on", "off"]).default("on"),
    /** Every alert rule is evaluated this often (rules are also evaluated right after the events they are about). */
    SWITCHBOARD_ALERT_EVAL_MS: int(15_000, 1_000, 3_600_000),
    /** The address people open the dashboard at, for links in notifications (default: http://localhost:PORT). */
    SWITCHBOARD_PUBLIC_URL: z.url({ message: "must be a URL such as https://switchboard.example.com" }).optional(),
    /** host:port of a second listener serving GET /metrics without authentication (off unless set); bind it where only the scraper reaches. */
    SWITCHBOARD_METRICS_ADDR: z
      .string()
      .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:9464")
      .transform((v) => ({ host: v.slice(0, v.lastIndexOf(":")).replace(/^\[(.*)\]$/, "$1"), port: Number(v.slice(v.lastIndexOf(":") + 1)) }))
      .refine((a) => a.port <= 65535, "the port must be at most 65535")
      .optional(),
    /** The SMTP relay for e-mail (alert channels, reports): smtp://user:pass@host:587 (STARTTLS) or smtps://…:465. */
    SWITCHBOARD_SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587" }).optional(),
    /** The sender of Switchboard's e-mail. */
    SWITCHBOARD_SMTP_FROM: z.string().min(3).max(200).default("Switchboard <switchboard@localhost>"),
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
    /**
     * Load shedding: while the event loop's delay (or the sojourn of accepted submissions) stays
     * above its target — this (ms) for the loop — new submissions are admitted at a reduced rate
     * and the rest refused with 503 and Retry-After; 0 turns it off.
     */
    SWITCHBOARD_OVERLOAD_LAG_MS: int(50, 0, 10_000),
    /** Unfinished tasks the server holds at most; a submission beyond it is refused (the queue is full). */
    SWITCHBOARD_MAX_UNFINISHED: int(500_000, 100, 50_000_000),
    /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
    SWITCHBOARD_TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0").transform((v) => v === "1" || v === "true"),
    /**
     * Replicas (PostgreSQL only): how long the leader's lease lasts without a renewal — a
     * follower takes over this long after the leader stops renewing (it renews every third).
     */
    SWITCHBOARD_LEADER_LEASE_MS: int(3000, 500, 120_000),
    /** Where the other replicas reach this one when it leads (default http://HOST:PORT; set it when HOST is 0.0.0.0). */
    SWITCHBOARD_ADVERTISE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://10.0.0.5:3000" }).optional()),
    /** This replica's name in the lease and the logs (default: the host name). */
    SWITCHBOARD_REPLICA_NAME: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(100).optional()),
    SWITCHBOARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * OpenTelemetry traces (server/tracing): on when an OTLP/HTTP endpoint is set, e.g.
     * http://localhost:4318. The exporter itself reads the other OTEL_EXPORTER_OTLP_* variables
     * (headers, timeout); these are the ones the server decides on. An empty value is unset.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://localhost:4318" }).optional()),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://localhost:4318/v1/traces" }).optional()),
    OTEL_SERVICE_NAME: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(200).default("switchboard")),
    OTEL_SDK_DISABLED: z.string().default("false").transform((v) => v.trim().toLowerCase() === "true"),
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
