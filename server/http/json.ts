// Small helpers for the raw Node HTTP handlers: bounded JSON bodies and error answers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { AppError, HTTP_STATUS, assertWellFormed, describeZodError, retryAfterHeader, retryAfterMsOf } from "@/server/errors";
import { clip } from "@/lib/validation";
import { log } from "@/server/log";

/** Reads the body up to `limit` bytes; a larger one is refused with 413 before it is buffered. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new AppError("PAYLOAD_TOO_LARGE", `Request body is ${declared} bytes; the limit is ${limit} bytes.`));
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds the limit of ${limit} bytes.`));
        return;
      }
      parts.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return parseJsonBody(await readBody(req, limit));
}

/** A request body as JSON (empty: `{}`), with no ill-formed strings in it. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError("BAD_REQUEST", `Malformed JSON body: ${clip((e as Error).message, 200)}.`);
  }
  assertWellFormed(value);
  return value;
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const tooBig = r.error.issues.some((i) => /at most \d+ bytes/.test(i.message));
    throw new AppError(tooBig ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", `Invalid request: ${describeZodError(r.error.issues)}.`);
  }
  return r.data;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(text);
}

/** Maps any thrown value to a JSON error answer; unexpected errors are logged and hidden. */
export function sendError(res: ServerResponse, e: unknown) {
  if (e instanceof AppError) {
    const retryAfterMs = retryAfterMsOf(e);
    const retry = retryAfterMs === undefined ? {} : { retryAfterSeconds: Number(retryAfterHeader(retryAfterMs)) };
    return sendJson(res, HTTP_STATUS[e.code], { error: { code: e.code, message: clip(e.message, 1000), ...e.details, ...retry } }, retryAfterMs === undefined ? {} : { "retry-after": retryAfterHeader(retryAfterMs) });
  }
  log.error("unhandled error in request", { error: (e as Error)?.stack ?? String(e) });
  sendJson(res, 500, { error: { code: "INTERNAL", message: "Internal error; the server logged the details." } });
}
