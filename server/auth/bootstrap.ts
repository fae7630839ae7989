// First-run secrets: when the admin password or the session secret are not configured, they
// are generated once and kept in the data directory (never in the repo), so a newcomer's
// `npm start` works and a restart keeps the same login.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

export function persistentSecret(dataDir: string, file: string, make: () => string): { value: string; created: boolean } {
  fs.mkdirSync(dataDir, { recursive: true });
  const p = path.join(dataDir, file);
  if (fs.existsSync(p)) return { value: fs.readFileSync(p, "utf8").trim(), created: false };
  const value = make();
  fs.writeFileSync(p, value + "\n", { mode: 0o600 });
  return { value, created: true };
}

export const randomPassword = () => randomBytes(12).toString("base64url");
