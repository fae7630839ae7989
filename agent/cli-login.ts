// `switchboard login` and `switchboard logout`: the server and a token, saved once so every later
// command finds them (like `gh auth login`). Login exchanges a user name and password for a
// token of at most that user's rights (POST /api/auth/token); `--token` saves one you have.
// The password is read from a prompt (not echoed), or from stdin when it is not a terminal
// (`echo "$PW" | switchboard login …`), or from $SWITCHBOARD_PASSWORD — never required on the
// command line, where it would land in the shell history.

import os from "node:os";
import type { Command } from "commander";
import { Option } from "commander";
import { TOKEN_SCOPES, type TokenScope } from "../lib/policy";
import { action, note, out } from "./cli-common";
import { configPath, forgetLogin, readCliEnv, readSavedLogin, resolveServer, saveLogin } from "./cli-env";
import { UsageError } from "./cli-flags";
import { createHttpClient } from "./http-client";

interface LoginFlags {
  server?: string;
  user?: string;
  password?: string;
  token?: string;
  scope?: TokenScope;
}

/** Reads one line from the terminal without echoing it, or the first line of a piped stdin. */
export async function readPassword(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const done = (result: string | null) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      output.write("\n");
      if (result === null) reject(new UsageError("login canceled"));
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(value);
        if (ch === "\u0003" || ch === "\u0004") return done(null); // Ctrl-C, Ctrl-D
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on("data", onData);
  });
}

async function loginCommand(flags: LoginFlags): Promise<number> {
  const env = readCliEnv();
  const server = resolveServer(flags.server, env, null);
  const file = configPath(env);
  if (flags.token !== undefined) {
    if (flags.user !== undefined) throw new UsageError("pass either --user (to log in with a password) or --token (to save a token you have), not both");
    const me = await createHttpClient({ server, token: flags.token }).me();
    saveLogin({ server, token: flags.token, user: me.kind === "user" ? me.name : null, tokenId: null, savedAt: Date.now() }, file);
    out(`Logged in to ${server} with token "${me.name}" (scope ${me.scope}); saved to ${file}`);
    return 0;
  }
  const user = flags.user ?? process.env.SWITCHBOARD_USER;
  if (!user) throw new UsageError("which user? pass --user <name> (or --token <token> to save a token you already have)");
  const password = flags.password ?? process.env.SWITCHBOARD_PASSWORD ?? (await readPassword(`Password for ${user} at ${server}: `));
  if (!password) throw new UsageError("no password given");
  const created = await createHttpClient({ server, retryBudgetMs: 0 }).exchangeToken({
    username: user,
    password,
    name: `cli:${user}@${os.hostname()}`.slice(0, 64),
    scope: flags.scope,
  });
  saveLogin({ server, token: created.secret, user, tokenId: created.token.id, savedAt: Date.now() }, file);
  out(`Logged in to ${server} as ${user} (token scope ${created.token.scope}); saved to ${file}`);
  return 0;
}

async function logoutCommand(): Promise<number> {
  const file = configPath();
  const saved = readSavedLogin(file);
  if (!saved) {
    out(`Not logged in (no ${file}).`);
    return 0;
  }
  // Revoke the token on the server first: a deleted file alone would leave a live secret behind.
  try {
    await createHttpClient({ server: saved.server, token: saved.token }).revokeSelf();
  } catch (e) {
    note(`switchboard: could not revoke the saved token on ${saved.server} (${(e as Error).message}); forgetting it here anyway`);
  }
  forgetLogin(file);
  out(`Logged out of ${saved.server}; removed ${file}`);
  return 0;
}

export function registerLoginCommands(program: Command) {
  program
    .command("login")
    .description("log in to a server and save it and a token for later commands (in a file only you can read)")
    .option("--server <url>", "server URL (default: $SWITCHBOARD_SERVER or http://127.0.0.1:3000)")
    .option("--user <name>", "log in as this user; the password is asked for (or read from stdin or $SWITCHBOARD_PASSWORD)")
    .option("--password <password>", "the password (prefer the prompt: a flag lands in your shell history)")
    .option("--token <token>", "save this API token instead of logging in with a password")
    .addOption(new Option("--scope <scope>", "the token's scope (default: the most your role allows)").choices([...TOKEN_SCOPES]))
    .action(action(loginCommand));
  program.command("logout").description("revoke the saved token and forget the saved login").action(action(logoutCommand));
}
