// The CLI's environment, read and checked once; a bad value fails with the variable's name.

import { z } from "zod";
import { UsageError } from "./cli-flags";

const envSchema = z.object({
  SWITCHBOARD_URL: z.url({ message: "SWITCHBOARD_URL must be a URL like http://127.0.0.1:3000" }).optional(),
  SWITCHBOARD_TOKEN: z.string().min(1).optional(),
});

export const DEFAULT_SERVER = "http://127.0.0.1:3000";

export function readCliEnv(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse({
    SWITCHBOARD_URL: env.SWITCHBOARD_URL || undefined,
    SWITCHBOARD_TOKEN: env.SWITCHBOARD_TOKEN || undefined,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "invalid environment");
  return parsed.data;
}

/** --server, else SWITCHBOARD_URL, else the local default; checked so a typo is caught before connecting. */
export function resolveServer(flag: string | undefined, env = readCliEnv()): string {
  const server = flag ?? env.SWITCHBOARD_URL ?? DEFAULT_SERVER;
  if (!z.url({ protocol: /^https?$/ }).safeParse(server).success) {
    throw new UsageError(`invalid --server "${server}": expected a URL like ${DEFAULT_SERVER}`);
  }
  return server;
}

export function resolveToken(flag: string | undefined, env = readCliEnv()): string {
  const token = flag ?? env.SWITCHBOARD_TOKEN;
  if (!token) throw new UsageError("no API token: pass --token or set SWITCHBOARD_TOKEN");
  return token;
}
