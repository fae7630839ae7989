// The Switchboard process: `npm start` (production) or `npm run dev`.
import { ConfigError, loadServerEnv } from "@/lib/env";
import { runReplica } from "./cluster/replica";
import { loginBanner } from "./banner";
import { log } from "./log";

async function main() {
  let env;
  try {
    env = loadServerEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await runReplica(env, {
    leading: (s) => process.stdout.write(`\nSwitchboard is running at ${s.url}\n${loginBanner(s, env)}\n`),
    following: (url, replica) => process.stdout.write(`\nSwitchboard is running at ${url} (replica ${replica} follows: it forwards everything to the leading replica)\n`),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  process.stderr.write(`Switchboard failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
