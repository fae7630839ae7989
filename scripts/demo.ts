// `npm run demo`: the server, six real runner agents with different capabilities, and a steady
// stream of small real shell tasks (some fail on purpose), so the dashboard is alive at once.
// It keeps its own data directory (./data/demo), so demo agents never haunt the fleet of a
// real `npm start` (./data); a demo reviewer decides the approval gates after a while, so they
// do not pile up.
import { loadServerEnv } from "@/lib/env";
import { startServer } from "@/server/app";
import { setLogLevel } from "@/server/log";
import { loginBanner } from "@/server/banner";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { openSqliteStore } from "@/server/store/sqlite";
import { SIMULATED_KEY } from "@/server/insight/insight-queries";
import { replaySimulatedHistory } from "@/server/insight/simulated-history";

/** `--history 14d`: days of simulated history first (1–60), replayed through the real scheduler. */
function historyDays(argv: string[]): number | null {
  const i = argv.indexOf("--history");
  if (i < 0) return null;
  const m = /^(\d+)d?$/.exec(argv[i + 1] ?? "");
  const days = m ? Number(m[1]) : NaN;
  if (!(days >= 1 && days <= 60)) {
    process.stderr.write("--history takes a number of days from 1 to 60, e.g. --history 14d\n");
    process.exit(2);
  }
  return days;
}

async function simulateHistory(url: string, days: number) {
  const store = await openSqliteStore(url);
  try {
    const existing = await store.insight.meta(SIMULATED_KEY);
    if (existing) {
      process.stdout.write("This demo database already has simulated history; not replaying it again (delete the data directory to start over).\n");
      return;
    }
    const t0 = Date.now();
    process.stdout.write(`Replaying ${days} days of a simulated fleet through the real scheduler on a simulated clock…\n`);
    const r = await replaySimulatedHistory(store, {
      days,
      to: Date.now() - 60_000,
      onProgress: (f) => process.stdout.write(`\r  ${Math.round(f * 100)} %`),
    });
    process.stdout.write(`\r  done: ${r.tasks} simulated tasks and ${r.runs} workflow runs in ${((Date.now() - t0) / 1000).toFixed(0)} s (marked as simulated on every analytics page)\n`);
  } finally {
    await store.close();
  }
}

const FLEET = [
  { name: "builder-1", capabilities: ["shell", "build:3", "typescript:3"], slots: 2 },
  { name: "builder-2", capabilities: ["shell", "build:2", "typescript:2"], slots: 1 },
  { name: "tester-1", capabilities: ["shell", "test:3", "typescript:2"], slots: 2 },
  { name: "tester-2", capabilities: ["shell", "test:2", "python:2"], slots: 1 },
  { name: "docs-1", capabilities: ["shell", "docs:2"], slots: 1 },
  { name: "ops-1", capabilities: ["shell", "deploy:3"], slots: 1, labels: ["region=eu"] },
];

/** Real commands; the failing ones fail the way real ones do (exit codes, stderr). */
const WORK: { title: string; command: string; requires: string[]; labels?: Record<string, string>; priority?: number }[] = [
  { title: "Build web bundle", command: "for s in resolve compile bundle minify; do echo \"[build] $s\"; sleep 0.7; done; echo '{\"artifact\":\"web.tgz\"}' > \"$SWITCHBOARD_RESULT_FILE\"", requires: ["build:2"] },
  { title: "Typecheck packages", command: "for p in core api web cli; do echo \"checking $p\"; sleep 0.5; done; echo 'no errors'", requires: ["typescript:2"] },
  { title: "Run unit tests", command: "n=$(( ($(od -An -N2 -tu2 /dev/urandom) % 20) + 20 )); for i in $(seq 1 $n); do echo \"ok $i - case $i\"; sleep 0.08; done; echo \"$n passed\"", requires: ["test:2"] },
  { title: "Run flaky integration tests", command: "echo 'starting db'; sleep 1; if [ $(($(od -An -N2 -tu2 /dev/urandom) % 3)) -eq 0 ]; then echo 'connection reset by peer' >&2; exit 1; fi; echo 'all green'", requires: ["test:3"] },
  { title: "Lint python scripts", command: "ls /usr/lib/python3*/ 2>/dev/null | head -20; sleep 1; echo 'lint clean'", requires: ["python:2"] },
  { title: "Render docs", command: "for f in intro api cli faq; do echo \"render $f.md\"; sleep 0.4; done; du -sh /usr/share/doc 2>/dev/null | tail -1", requires: ["docs:2"] },
  { title: "Deploy to staging (eu)", command: "echo 'uploading'; sleep 1.5; echo 'health check'; sleep 0.5; echo 'deployed'", requires: ["deploy:3"], labels: { region: "eu" }, priority: 5 },
  { title: "Compile native addon", command: "echo 'gyp: configure'; sleep 0.5; echo 'error: missing header sqlite3.h' >&2; exit 2", requires: ["build:3"] },
  { title: "Count system binaries", command: "ls /usr/bin | wc -l", requires: ["shell"] },
  { title: "Checksum build inputs", command: "find /etc -maxdepth 1 -type f 2>/dev/null | head -30 | xargs -r sha1sum 2>/dev/null | tail -5", requires: ["shell"] },
];

/** Submitted once: nobody has a GPU, so the dashboard's "why waiting" has something to say. */
const UNRUNNABLE = { title: "Train tiny model (needs a GPU agent)", command: "nvidia-smi", requires: ["gpu:1"] };

/** How long a demo approval waits before the demo reviewer decides it (most approved, some rejected). */
const REVIEW_AFTER_MS = 90_000;

async function main() {
  const dataDir = process.env.SWITCHBOARD_DATA_DIR ?? "./data/demo";
  const env = loadServerEnv({ SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: `file:${dataDir}/switchboard.db`, ...process.env });
  const days = historyDays(process.argv.slice(2));
  if (days) {
    setLogLevel("warn"); // the replay's own runs and agents would flood the terminal
    await simulateHistory(env.DATABASE_URL, days);
  }
  const server = await startServer(env);
  const { secret } = await server.tokens.create({ name: `demo-${Date.now()}`, scope: "agent" });
  const base = `http://127.0.0.1:${server.port}`;
  const agents: AgentHandle[] = FLEET.map((a) =>
    startAgentProcess({ server: base, token: secret, name: a.name, capabilities: a.capabilities, slots: a.slots, labels: a.labels }),
  );
  process.stdout.write(
    `\nSwitchboard demo at ${server.url} (data in ${dataDir})\n${loginBanner(server, env)}` +
      `Six agents are starting; a task arrives every ~1.5 s and a workflow run every 45 s; a demo reviewer decides approvals after ${REVIEW_AFTER_MS / 1000} s. Ctrl-C stops everything.\n\n`,
  );

  let n = 0;
  const submit = async (w: (typeof WORK)[number] = WORK[Math.floor(Math.random() * WORK.length)]) => {
    n++;
    try {
      await server.coordinator.submit([
        {
          title: `${w.title} #${n}`,
          command: w.command,
          requires: w.requires.map((r) => ({ name: r.split(":")[0], level: Number(r.split(":")[1] ?? 1) })),
          labels: w.labels ?? {},
          priority: w.priority ?? 0,
          retry: { maxAttempts: 2, backoffMs: 1500 },
          timeoutMs: 60_000,
        },
      ], { submittedBy: { kind: "user", name: "demo", role: "operator", by: null } });
    } catch (e) {
      process.stderr.write(`demo submit failed: ${(e as Error).message}\n`);
    }
  };
  await submit(UNRUNNABLE);
  for (let i = 0; i < 4; i++) await submit();
  const timer = setInterval(() => void submit(), 1500);

  // Workflow runs from the built-in templates: the feature pipeline stops at its review gate,
  // so the approvals inbox has something to approve.
  const RUNS: [string, Record<string, string | number | boolean>][] = [
    ["feature-pipeline", { feature: "dark mode", slices: 3 }],
    ["release-train", { version: "1.4.0" }],
    ["repo-maintenance", { shards: 5, failure_rate: 20 }],
    ["release-train", { version: "1.4.1", flaky_qa: true }],
  ];
  let r = 0;
  const startRun = async () => {
    const [name, params] = RUNS[r++ % RUNS.length];
    try {
      await server.workflows.startRun(name, params, "demo");
    } catch (e) {
      process.stderr.write(`demo run of ${name} failed to start: ${(e as Error).message}\n`);
    }
  };
  await startRun();
  const runTimer = setInterval(() => void startRun(), 45_000);

  // The review gate of the feature pipeline: an operator would decide; the demo's reviewer does,
  // after a while, so the inbox shows waiting approvals without collecting them for 24 hours.
  const reviewTimer = setInterval(() => {
    for (const { run, step } of server.workflows.pendingApprovals()) {
      if (Date.now() - (step.startedAt ?? Date.now()) < REVIEW_AFTER_MS) continue;
      const approve = Math.random() < 0.8;
      void server.workflows
        .decide(run.id, step.id, approve ? "approve" : "reject", "demo-reviewer", approve ? "looks good (demo)" : "needs another pass (demo)")
        .catch(() => {});
    }
  }, 5_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    clearInterval(timer);
    clearInterval(runTimer);
    clearInterval(reviewTimer);
    process.stdout.write("\nstopping agents and server…\n");
    await Promise.all(agents.map((a) => a.stop("SIGINT")));
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
