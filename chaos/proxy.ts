// A TCP proxy between some agents and the server, so the harness can break the network under
// them without touching either process:
// - cutAll(): resets every connection at once (RST where Node supports it), as a flapping link
//   or a restarted load balancer would. Agents must notice and reconnect by themselves.
// - freeze(ms): stops forwarding in both directions (and holds new connections) without
//   closing anything — a partition where neither side gets an error, only silence.
// It forwards bytes only; it knows nothing of HTTP or Socket.IO, so what it tests is the
// agents' and the server's own handling of a broken transport.
import net from "node:net";

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();
  private frozenUntil = 0;
  private thawTimer: NodeJS.Timeout | null = null;
  /** Connections accepted, cut by cutAll, and upstream connects that failed (server down). */
  readonly counters = { accepted: 0, cut: 0, upstreamErrors: 0 };
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = "127.0.0.1",
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections() {
    return this.pairs.size;
  }

  private accept(client: net.Socket) {
    this.counters.accepted++;
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.frozen) this.pausePair(pair);
    const close = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", () => {
      this.counters.upstreamErrors++;
      close();
    });
    client.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  }

  private get frozen() {
    return Date.now() < this.frozenUntil;
  }

  private pausePair(p: Pair) {
    p.client.pause();
    p.upstream.pause();
    p.client.unpipe(p.upstream);
    p.upstream.unpipe(p.client);
  }

  private resumePair(p: Pair) {
    p.client.pipe(p.upstream);
    p.upstream.pipe(p.client);
    p.client.resume();
    p.upstream.resume();
  }

  /** Resets every open connection; returns how many were cut. */
  cutAll(): number {
    const n = this.pairs.size;
    for (const p of [...this.pairs]) {
      this.pairs.delete(p);
      for (const s of [p.client, p.upstream]) {
        // An RST (not a polite FIN) is what a dying middlebox sends; fall back on destroy.
        const r = (s as net.Socket & { resetAndDestroy?: () => void }).resetAndDestroy;
        if (typeof r === "function" && s.readyState !== "opening") r.call(s);
        else s.destroy();
      }
    }
    this.counters.cut += n;
    return n;
  }

  /** Forwards nothing for `ms` (bytes queue up in both directions), then carries on. */
  freeze(ms: number) {
    this.frozenUntil = Date.now() + ms;
    for (const p of this.pairs) this.pausePair(p);
    if (this.thawTimer) clearTimeout(this.thawTimer);
    this.thawTimer = setTimeout(() => {
      this.thawTimer = null;
      for (const p of this.pairs) this.resumePair(p);
    }, ms);
  }

  async close() {
    if (this.thawTimer) clearTimeout(this.thawTimer);
    this.cutAll();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}
