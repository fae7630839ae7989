// Starts the real server (production build, its own data directory, 127.0.0.1, free port) for
// the e2e run and an agent token; tests read them from the environment. Returns the teardown.
import fs from "node:fs";
import path from "node:path";
import { createToken, startServerProcess } from "@/testing/server-process";

export default async function globalSetup() {
  if (!fs.existsSync(path.resolve(import.meta.dirname, "..", ".next", "BUILD_ID"))) {
    throw new Error("e2e needs a production build: run `npx next build` first (npm run test:e2e does).");
  }
  const server = await startServerProcess({ ui: true });
  process.env.SB_URL = server.url;
  process.env.SB_PASSWORD = server.password;
  process.env.SB_TOKEN = await createToken(server, "e2e");
  process.env.SB_ADMIN_TOKEN = await createToken(server, "e2e-admin", "admin");
  return async () => {
    await server.stop();
  };
}
