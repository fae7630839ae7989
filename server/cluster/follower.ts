// A follower replica's front door: it accepts every connection a leader would — pages, REST,
// tRPC, MCP, Socket.IO (polling and WebSocket) — and forwards it to the replica that leads, as
// Vault's standby nodes forward to the active one. The leader stays the one place that decides,
// so every guarantee of a single server (exactly once, order, one timer per task) holds
// unchanged; a load balancer may send anything anywhere, with no sticky sessions. When the
// leader changes, forwarded connections to the old one close and their clients reconnect (the
// SDK, runner and dashboard do so by themselves) — through this door, to the new leader.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";

export interface FollowerDoor {
  port: number;
  /** Closes the door and every connection it forwards. */
  close(): Promise<void>;
}

/** Where the leader is now (its advertised URL), or null while none leads. */
export type LeaderAddress = () => string | null;

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

function forwardedFor(req: IncomingMessage): string {
  const peer = (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  const prior = req.headers["x-forwarded-for"];
  return prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${peer}` : peer;
}

function unavailable(res: ServerResponse, message: string) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
  res.end(JSON.stringify({ error: { code: "UNAVAILABLE", message, retryAfterMs: 1000 } }));
}

export async function openFollowerDoor(opts: { port: number; host: string; leader: LeaderAddress; replica: string }): Promise<FollowerDoor> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const tunnels = new Set<Duplex>();

  const server = http.createServer((req, res) => {
    const p = (req.url ?? "/").split("?")[0];
    const leader = opts.leader();
    if (p === "/healthz") return void (res.writeHead(200, { "content-type": "application/json" }), res.end(JSON.stringify({ ok: true, role: "follower" })));
    // Ready while there is a leader to forward to: a balancer may send this replica anything then.
    if (p === "/readyz") {
      res.writeHead(leader ? 200 : 503, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ ok: Boolean(leader), role: "follower", leader }));
    }
    if (!leader) return unavailable(res, "No replica leads at the moment (a failover is under way); retry in 1 s.");
    const target = new URL(leader);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers["x-forwarded-for"] = forwardedFor(req);
    headers["x-switchboard-replica"] = opts.replica;
    const up = http.request({ agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    up.on("error", () => unavailable(res, "The leading replica is not answering (a failover may be under way); retry in 1 s."));
    req.on("aborted", () => up.destroy());
    req.pipe(up);
  });

  // WebSockets (Socket.IO's upgrade, Next's hot reload in development): a byte tunnel to the leader.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const leader = opts.leader();
    if (!leader) return void socket.end("HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\nconnection: close\r\n\r\n");
    const target = new URL(leader);
    const up = net.connect(Number(target.port), target.hostname);
    tunnels.add(socket);
    tunnels.add(up);
    const end = () => {
      socket.destroy();
      up.destroy();
      tunnels.delete(socket);
      tunnels.delete(up);
    };
    up.once("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() !== "x-forwarded-for") lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      lines.push(`x-forwarded-for: ${forwardedFor(req)}`, `x-switchboard-replica: ${opts.replica}`);
      up.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    up.on("error", end);
    up.on("close", end);
    socket.on("error", end);
    socket.on("close", end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const t of tunnels) t.destroy();
      tunnels.clear();
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
