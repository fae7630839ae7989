// Pool agents start from a bundle of the agent CLI (one file, built with esbuild) instead of
// through tsx: tsx's loader hooks resolve and transpile every module of the CLI at each start,
// which is most of the 2 s a runner takes to connect — the time a burst waits for a new agent.
// Built in the background when the server starts (or whenever the sources are newer); until it
// is there, agents start through tsx as before.
import fs from "node:fs";
import path from "node:path";
import { log } from "@/server/log";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** Beside package.json's folder, so the CLI's `../package.json` (its version) resolves. */
export const RUNNER_BUNDLE = path.join(ROOT, "dist-agent", "cli.mjs");
export const RUNNER_TSX = path.join(ROOT, "agent", "bin", "switchboard.mjs");

let building: Promise<void> | null = null;
let ready = false;

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mts|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  try {
    const built = fs.statSync(RUNNER_BUNDLE).mtimeMs;
    return built >= Math.max(newestSource(path.join(ROOT, "agent")), newestSource(path.join(ROOT, "lib")), fs.statSync(path.join(ROOT, "package.json")).mtimeMs);
  } catch {
    return false;
  }
}

/** Builds the bundle if it is missing or older than the agent's sources; never throws. */
export function prepareRunnerBundle(): Promise<void> {
  building ??= (async () => {
    if (fresh()) {
      ready = true;
      return;
    }
    const started = Date.now();
    try {
      const { build } = await import("esbuild");
      const tmp = `${RUNNER_BUNDLE}.${process.pid}.tmp`;
      await build({
        entryPoints: [path.join(ROOT, "agent", "cli.ts")],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        outfile: tmp,
        logLevel: "silent",
        // Bundled CommonJS dependencies call require(); give the ESM bundle one.
        banner: { js: "import { createRequire as __sbRequire } from 'node:module'; const require = __sbRequire(import.meta.url);" },
      });
      fs.renameSync(tmp, RUNNER_BUNDLE);
      ready = true;
      log.info("agent runner bundled for pools", { ms: Date.now() - started });
    } catch (e) {
      log.warn("could not bundle the agent runner; pool agents start through tsx", { error: (e as Error).message.split("\n")[0] });
    }
  })();
  return building;
}

/** The script a pool agent is started with now. */
export function runnerEntry(): string {
  return ready ? RUNNER_BUNDLE : RUNNER_TSX;
}
