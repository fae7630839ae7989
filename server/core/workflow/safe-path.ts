// Reading a path out of untrusted data (step results, parameters) for gates and templates.
// Only own properties are read, and the names that lead to prototypes are treated as missing,
// so neither an expression nor a `{{ }}` reference can reach Object.prototype or a
// constructor, whatever a step's result contains.

/** Keys that lead out of the data into the object model; reading them yields `undefined`. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type PathSegment = string | number;

/** The value at `path` inside `root`, or `undefined` when any segment is missing. */
export function readPath(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    const key = String(seg);
    if (FORBIDDEN_KEYS.has(key) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** `steps.build.result["a b"][0]` — how a path is shown in messages. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const [i, seg] of path.entries()) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += i === 0 ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
