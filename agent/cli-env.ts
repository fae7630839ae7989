// Where the CLI finds its server and credentials, in the order people know from gh, kubectl
// and hatchet: a flag, else an environment variable, else what `switchboard login` saved, else
// the local default. A bad value fails with the flag's or variable's name.
//
// The saved token is only sent to the server it was issued by: `--server` pointing elsewhere
// does not leak it there.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { UsageError } from "./cli-flags";

const url = (name: string) => z.url({ message: `${name} must be a URL like http://127.0.0.1:3000` }).optional();

const envSchema = z.object({
  SWITCHBOARD_SERVER: url("SWITCHBOARD_SERVER"),
  /** The older name of SWITCHBOARD_SERVER, still read. */
  SWITCHBOARD_URL: url("SWITCHBOARD_URL"),
  SWITCHBOARD_TOKEN: z.string().min(1).optional(),
  SWITCHBOARD_CONFIG: z.string().min(1).optional(),
});
export type CliEnv = z.infer<typeof envSchema>;

export const DEFAULT_SERVER = "http://127.0.0.1:3000";

export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = envSchema.safeParse({
    SWITCHBOARD_SERVER: env.SWITCHBOARD_SERVER || undefined,
    SWITCHBOARD_URL: env.SWITCHBOARD_URL || undefined,
    SWITCHBOARD_TOKEN: env.SWITCHBOARD_TOKEN || undefined,
    SWITCHBOARD_CONFIG: env.SWITCHBOARD_CONFIG || undefined,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "invalid environment");
  return parsed.data;
}

// ---- The config file `switchboard login` writes ----

const savedSchema = z.object({
  server: z.string(),
  token: z.string().min(1),
  /** Who logged in, for `switchboard status`-like messages; informational only. */
  user: z.string().nullable().default(null),
  tokenId: z.string().nullable().default(null),
  savedAt: z.number().default(0),
});
export type SavedLogin = z.infer<typeof savedSchema>;

/** $SWITCHBOARD_CONFIG, else $XDG_CONFIG_HOME/switchboard/config.json, else ~/.config/switchboard/config.json. */
export function configPath(env: CliEnv = readCliEnv(), processEnv: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHBOARD_CONFIG) return path.resolve(env.SWITCHBOARD_CONFIG);
  const base = processEnv.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "switchboard", "config.json");
}

export function readSavedLogin(file = configPath()): SavedLogin | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = savedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    throw new UsageError(`the config file ${file} is not valid JSON; fix it or run \`switchboard logout\``);
  }
}

/** Written readable by the owner only (0600, in a 0700 folder): it holds a secret. */
export function saveLogin(login: SavedLogin, file = configPath()): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

export function forgetLogin(file = configPath()): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

const sameServer = (a: string, b: string) => normalizeServer(a) === normalizeServer(b);

/** `http://localhost:3000/` and `http://localhost:3000` are the same server. */
export function normalizeServer(server: string): string {
  return server.replace(/\/+$/, "");
}

// ---- Resolution ----

/** --server, else SWITCHBOARD_SERVER (or SWITCHBOARD_URL), else the saved login's, else the local default. */
export function resolveServer(flag: string | undefined, env = readCliEnv(), saved: SavedLogin | null = readSavedLogin(configPath(env))): string {
  const server = flag ?? env.SWITCHBOARD_SERVER ?? env.SWITCHBOARD_URL ?? saved?.server ?? DEFAULT_SERVER;
  if (!z.url({ protocol: /^https?$/ }).safeParse(server).success) {
    throw new UsageError(`invalid --server "${server}": expected a URL like ${DEFAULT_SERVER}`);
  }
  return normalizeServer(server);
}

/** --token, else SWITCHBOARD_TOKEN, else the token `switchboard login` saved for this same server. */
export function resolveToken(flag: string | undefined, server?: string, env = readCliEnv(), saved: SavedLogin | null = readSavedLogin(configPath(env))): string {
  const token = flag ?? env.SWITCHBOARD_TOKEN ?? (saved && (!server || sameServer(saved.server, server)) ? saved.token : undefined);
  if (!token) {
    const where = server ? ` for ${server}` : "";
    throw new UsageError(`no API token${where}: run \`switchboard login --server <url> --user <name>\`, or pass --token or set SWITCHBOARD_TOKEN`);
  }
  return token;
}
