// A tiny fetch wrapper for tests: JSON in, status and JSON out.
export function api(base: string, auth: { token?: string; cookie?: string } = {}) {
  const headers = (extra?: Record<string, string>) => ({
    "content-type": "application/json",
    ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    // A browser sends its Origin with every mutation; the CSRF check wants it with a cookie.
    ...(auth.cookie ? { cookie: auth.cookie, origin: base } : {}),
    ...extra,
  });
  const call = async (method: string, path: string, body?: unknown, raw?: string) => {
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
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body ?? {}),
    raw: (method: string, path: string, raw: string) => call(method, path, undefined, raw),
  };
}
