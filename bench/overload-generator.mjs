// The load generator of bench:overload (plain JavaScript: worker threads do not load TypeScript
// through tsx), run in a worker thread so that offering thousands of
// requests a second does not share an event loop with the bench's agents. Two modes:
// `closed` keeps `concurrency` single-task submissions in flight (what the server sustains);
// `open` sends on a fixed schedule whatever the answers do (an overload is offered, not
// negotiated). Every answer is recorded: its status, its latency from the scheduled send, and
// the id of an accepted task (so the bench can check every acknowledged task is stored).
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/** @param {import('./overload').GeneratorInput} input @returns {Promise<import('./overload').GeneratorOutput>} */
function run(input) {
  const target = new URL("/api/v1/tasks", input.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  /** @type {import('./overload').GeneratorOutput} */
  const out = { sent: 0, statuses: {}, acceptedMs: [], refusedMs: [], acceptedIds: [], retryAfter: {}, elapsedS: 0, lateSends: 0 };
  const t0 = performance.now();
  const end = t0 + input.seconds * 1000;
  let inFlight = 0;

  const submit = (scheduledAt) =>
    new Promise((resolve) => {
      const n = out.sent++;
      const body = JSON.stringify({ title: `${input.label} ${n}`, requires: ["noop"], retry: { maxAttempts: 1, backoffMs: 0 } });
      inFlight++;
      const req = http.request(
        target,
        { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${input.token}` } },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const ms = performance.now() - scheduledAt;
            const status = res.statusCode ?? 0;
            out.statuses[status] = (out.statuses[status] ?? 0) + 1;
            if (status === 201) {
              out.acceptedMs.push(ms);
              out.acceptedIds.push(JSON.parse(Buffer.concat(chunks).toString()).task.id);
            } else {
              out.refusedMs.push(ms);
              const ra = res.headers["retry-after"];
              if (ra) out.retryAfter[String(ra)] = (out.retryAfter[String(ra)] ?? 0) + 1;
            }
            inFlight--;
            resolve();
          });
        },
      );
      req.on("error", () => {
        out.statuses["0"] = (out.statuses["0"] ?? 0) + 1;
        inFlight--;
        resolve();
      });
      req.end(body);
    });

  return new Promise((resolve) => {
    const finish = async () => {
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
      out.elapsedS = (performance.now() - t0) / 1000;
      agent.destroy();
      resolve(out);
    };
    if (input.mode === "closed") {
      const loop = async () => {
        while (performance.now() < end) await submit(performance.now());
      };
      void Promise.all(Array.from({ length: input.concurrency ?? 32 }, loop)).then(finish);
      return;
    }
    // Open loop: every millisecond tick sends what the schedule says is due by now.
    const interval = 1000 / (input.rate ?? 1000);
    let next = t0;
    const tick = () => {
      const now = performance.now();
      while (next <= now && next < end) {
        if (now - next > 50) out.lateSends++;
        void submit(next);
        next += interval;
      }
      if (next < end) setTimeout(tick, 1);
      else void finish();
    };
    tick();
  });
}

if (parentPort) {
  void run(workerData).then((out) => parentPort.postMessage(out));
}
