// What the server prints when it is up: how to log in, in the browser and from the command line.
// The admin password is printed only the time it is generated — never when it came from
// SWITCHBOARD_ADMIN_PASSWORD, and not on later starts (it is in the data directory's file).
import path from "node:path";
import type { RunningServer } from "./app";

export function loginBanner(server: Pick<RunningServer, "url" | "admin">, env: { SWITCHBOARD_DATA_DIR: string; SWITCHBOARD_ADMIN_PASSWORD?: string }): string {
  const { username, password, generated } = server.admin;
  const file = path.join(env.SWITCHBOARD_DATA_DIR, "admin-password");
  const who = generated
    ? `Log in as ${username} / ${password}   (generated on first run; kept in ${file})`
    : env.SWITCHBOARD_ADMIN_PASSWORD
      ? `Log in as ${username} with the password from SWITCHBOARD_ADMIN_PASSWORD`
      : `Log in as ${username} with the password in ${file}`;
  return (
    `${who}\n` +
    `From a terminal:  npx switchboard login --server ${server.url} --user ${username}\n` +
    `Then start an agent:  npx switchboard agent --token "$(npx switchboard token create --name worker-1 --scope agent)" --name worker-1 --capability shell\n`
  );
}
