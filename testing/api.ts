// A tiny fetch wrapper for tests: JSON in, status and JSON out.
export function api(base: string, auth: { token?: string; cookie?: string } = {}) {
  const headers = (extra?: Record<string, string>) => ({
    "content-type": "application/json",
    ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    // A browser sends its Origin with every mutation; the CSRF check wants it with a cookie.
    ...(auth.cookie ? { cookie: auth.cookie, origin: base } : {}),
    ...extra,
  });
  const once = async (method: string, path: string, body?: unknown, raw?: string) => {
    const r = await fetch(`${base}${path}`, { method, headers: headers(), body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await r.text();
    let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { text };
    }
    return { status: r.status, body: json };
  };
  // Like the SDK and the CLI, wait what a load-shedding refusal (503 with retryAfterMs) says and
  // send again, for up to 20 s: a busy CI machine's backpressure is not what these tests are
  // about. The overload tests call fetch themselves and see every refusal.
  const call = async (method: string, path: string, body?: unknown, raw?: string) => {
    const giveUpAt = Date.now() + 20_000;
    for (;;) {
      const r = await once(method, path, body, raw);
      const wait = r.status === 503 ? Number(r.body?.error?.retryAfterMs) : NaN;
      if (!Number.isFinite(wait) || Date.now() + wait > giveUpAt) return r;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body ?? {}),
    del: (path: string) => call("DELETE", path),
    raw: (method: string, path: string, raw: string) => call(method, path, undefined, raw),
  };
}

export type TrpcAnswer = { status: number; body: { result?: { data: unknown }; error?: { message: string } } };

/** tRPC over plain fetch as a logged-in browser would call it (session cookie + our Origin). */
export function trpc(base: string, cookie: string) {
  const answer = async (r: Response): Promise<TrpcAnswer> => ({ status: r.status, body: (await r.json()) as TrpcAnswer["body"] });
  return {
    query: async (procedure: string, input?: unknown) =>
      answer(await fetch(`${base}/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers: { cookie } })),
    mutate: async (procedure: string, input?: unknown, headers: Record<string, string> = {}) =>
      answer(
        await fetch(`${base}/api/trpc/${procedure}`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie, origin: base, ...headers },
          body: JSON.stringify(input ?? null),
        }),
      ),
  };
}

/** The data of a successful tRPC answer; throws with the server's sentence otherwise. */
export function dataOf<T>(a: TrpcAnswer, what: string): T {
  if (!a.body.result) throw new Error(`${what}: ${a.status} ${a.body.error?.message}`);
  return a.body.result.data as T;
}
