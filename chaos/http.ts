// One HTTP client for the whole harness, on node:http rather than fetch: the fuzzer needs to
// send what fetch refuses (bodies on GET, lying Content-Length, odd methods, raw bytes), and
// every answer of every part of the harness goes through `observe`, so a 5xx anywhere — from
// the load, a poller or the fuzzer — is recorded with the request that caused it.
import http from "node:http";

export interface HttpAnswer {
  status: number; // 0: no HTTP answer (refused, reset, timed out)
  text: string;
  ms: number;
  error?: string;
  headers?: http.IncomingHttpHeaders;
}

export interface FiveXX {
  at: number;
  source: string;
  method: string;
  path: string;
  status: number;
  request: string;
  answer: string;
}

export class Observer {
  readonly fiveXX: FiveXX[] = [];
  requests = 0;

  record(source: string, method: string, path: string, requestExcerpt: string, a: HttpAnswer) {
    this.requests++;
    if (a.status >= 500) this.fiveXX.push({ at: Date.now(), source, method, path: path.slice(0, 300), status: a.status, request: requestExcerpt.slice(0, 400), answer: a.text.slice(0, 400) });
  }
}

// No keep-alive: a restarted server must not be reached through a dead pooled connection.
const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });

export function rawRequest(opts: {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  timeoutMs?: number;
}): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: Omit<HttpAnswer, "ms">) => {
      if (done) return;
      done = true;
      resolve({ ...a, ms: performance.now() - started });
    };
    let req: http.ClientRequest;
    try {
      req = http.request({ host: "127.0.0.1", port: opts.port, method: opts.method, path: opts.path, headers: opts.headers, agent, setHost: true });
    } catch (e) {
      // node:http refuses some requests itself (invalid header characters, a bad method): not the server's fault.
      return finish({ status: 0, text: "", error: `client refused: ${(e as Error).message}` });
    }
    const timer = setTimeout(() => {
      finish({ status: 0, text: "", error: "timeout" });
      req.destroy();
    }, opts.timeoutMs ?? 10_000);
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size < 64 * 1024) parts.push(c);
      });
      res.on("end", () => {
        clearTimeout(timer);
        finish({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8"), headers: res.headers });
      });
      res.on("error", () => {
        clearTimeout(timer);
        finish({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8"), headers: res.headers });
      });
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      finish({ status: 0, text: "", error: e.message });
    });
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** JSON API calls of the harness's own work (load, pollers), recorded by the observer. */
export function apiClient(getPort: () => number, token: string | null, observer: Observer, source: string) {
  const call = async (method: string, path: string, body?: unknown, timeoutMs = 10_000) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const a = await rawRequest({
      port: getPort(),
      method,
      path,
      timeoutMs,
      body: text,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(text !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
      },
    });
    observer.record(source, method, path, text ?? "", a);
    let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = a.text ? JSON.parse(a.text) : null;
    } catch {
      json = null;
    }
    return { ...a, json };
  };
  return {
    get: (path: string, timeoutMs?: number) => call("GET", path, undefined, timeoutMs),
    post: (path: string, body: unknown = {}, timeoutMs?: number) => call("POST", path, body, timeoutMs),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;
