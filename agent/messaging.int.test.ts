import { afterAll, beforeAll, expect, it } from "vitest";
import { cliOk } from "@/testing/cli";
import { createToken, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import type { MessageView } from "../lib/messaging";
import { connectAgent, type Agent } from "./sdk";

let server: ServerHandle;
let token: string;
/** The CLI sends as an operator would, with a submit token (agent tokens send as their agent). */
let opsToken: string;
beforeAll(async () => {
  server = await startServerProcess();
  token = await createToken(server);
  opsToken = await createToken(server, "msg-ops", "submit");
});
afterAll(async () => server?.stop());

it("SDK agents exchange messages, reply, and the CLI sends and reads", async () => {
  const seen: MessageView[] = [];
  const bob: Agent = await connectAgent({
    server: server.url,
    token,
    card: { name: "bob", channels: ["frontend"] },
    onTask: () => null,
    onMessage: async (m, ctx) => {
      seen.push(m);
      if (m.from.agentId) await ctx.reply(`pong ${m.body}`);
    },
  });
  const replies: MessageView[] = [];
  const alice: Agent = await connectAgent({ server: server.url, token, card: { name: "alice" }, onTask: () => null, onMessage: (m) => void replies.push(m) });
  const sent = await alice.send({ to: { agent: "bob" }, body: "ping" });
  expect(sent.recipients).toEqual(["bob"]);
  await waitFor(() => replies.length === 1 || undefined, "the reply");
  expect(replies[0].body).toBe("pong ping");
  expect(replies[0].threadId).toBe(sent.threadId);

  // Asynchronous: bob's SDK lives in this process and must keep heartbeating while the CLI starts.
  const cli = (as: string, ...args: string[]) => cliOk([...args, "--server", server.url, "--token", as]);
  expect(await cli(opsToken, "send", "--channel", "frontend", "hello team")).toMatch(/^sent \S+ to bob/);
  await waitFor(() => seen.length === 2 || undefined, "the channel message");
  expect(await cli(token, "status", "bob")).toContain("online");
  // Everything bob handled gets acked (acks are batched): its inbox empties.
  await waitFor(async () => (await cli(token, "inbox", "--agent", bob.agentId, "--json")).trim() === "" || undefined, "bob's acks to land");
  await alice.close();
  await bob.close();
}, 60_000);
