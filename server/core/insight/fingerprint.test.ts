import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint, normalize } from "./fingerprint";

describe("[FINGERPRINT] failures that are the same group together", () => {
  it("replaces what varies with placeholders", () => {
    expect(normalize("exit code 3: connection to 10.0.0.7:5432 refused after 1503 ms")).toBe("exit code <n>: connection to <ip> refused after <n> ms");
    expect(normalize("task 3f2a9c1d-1111-4a2b-9c3d-aabbccddeeff failed at 2026-12-01T10:03:44.123Z")).toBe("task <uuid> failed at <time>");
    expect(normalize("cannot open /var/lib/build/cache/pkg-77.tgz: ENOENT")).toBe("cannot open <path>: ENOENT");
    expect(normalize('GET https://api.example.com/v1/items?id=9 → 503 for "alice@example.com"')).toBe('GET <url> → <n> for "<str>"');
    expect(normalize("commit 3fa2b9c on host build-7.internal timed out")).toBe("commit <hex> on host <host> timed out");
    expect(normalize("lost agent ag_x8f2kLm0Q9")).toBe("lost agent <id>");
  });

  it("is stable under changed numbers, ids, paths and hosts (property)", () => {
    const n = fc.integer({ min: 0, max: 1e9 });
    const hex = fc.stringMatching(/^[0-9a-f]{12,24}$/);
    fc.assert(
      fc.property(n, n, hex, hex, fc.uuid(), fc.uuid(), (a, b, h1, h2, u1, u2) => {
        const make = (x: number, h: string, u: string) => `shard ${x}: index ${h} of run ${u} corrupted after ${x * 3} ms at /data/shards/${x}/idx`;
        expect(fingerprint(make(a, h1, u1))).toBe(fingerprint(make(b, h2, u2)));
      }),
    );
  });

  it("keeps different failures apart", () => {
    const ids = new Set([
      fingerprint("exit code 1: connection reset by peer"),
      fingerprint("exit code 2: error: missing header sqlite3.h"),
      fingerprint("timed out after 60000 ms"),
      fingerprint("exit code 1: connection reset by peer", [{ stream: "stderr", line: "ECONNRESET while uploading" }]),
    ]);
    expect(ids.size).toBe(4);
    // The same error with a different log tail that only varies in numbers is the same group.
    expect(fingerprint("exit code 1", [{ stream: "stderr", line: "retry 3 of 5 failed" }])).toBe(fingerprint("exit code 1", [{ stream: "stderr", line: "retry 4 of 5 failed" }]));
  });
});
