// `npm start` and `npm run demo` call this before serving: it runs `next build` only when there
// is no build yet or the sources the dashboard is built from changed since the last one, so a
// restart serves in seconds instead of rebuilding for half a minute.
//
// "Changed" is a content hash, not file times: a fresh clone or a branch switch gives every file
// a new mtime, and what matters is whether the bytes differ. Hashing the few MB of sources takes
// well under a second.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
/** What Next compiles into the dashboard (the server is run from source by tsx). */
const INPUTS = ["app", "components", "lib", "public", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const STAMP = path.join(ROOT, ".next", "switchboard-sources.sha256");
const SKIP = /(^|\/)(node_modules|\.next)(\/|$)|\.test\.tsx?$/;

function* files(p) {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return;
  if (fs.statSync(full).isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) {
      const child = path.posix.join(p, name);
      if (!SKIP.test(child)) yield* files(child);
    }
  } else yield p;
}

export function sourceHash() {
  const h = createHash("sha256");
  for (const input of INPUTS) {
    for (const f of files(input)) {
      h.update(f);
      h.update("\0");
      h.update(fs.readFileSync(path.join(ROOT, f)));
      h.update("\0");
    }
  }
  return h.digest("hex");
}

const want = sourceHash();
const built = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : null;
if (built === want && !process.argv.includes("--force")) {
  process.stderr.write("dashboard build is up to date\n");
} else {
  process.stderr.write(built ? "dashboard sources changed: rebuilding…\n" : "building the dashboard (first run)…\n");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(STAMP, `${want}\n`);
  process.stderr.write(`dashboard built in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
