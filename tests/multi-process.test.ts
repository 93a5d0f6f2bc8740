/**
 * More than one process on one PostgreSQL: two Slack HTTP instances behind (in effect) a load
 * balancer answer a retried event and a replayed request once, and hold one rate limit between them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MockSlack, signedHeaders } from "../testkit/mock-slack.js";
import { freePort, npmStart, stopAll, until } from "../testkit/processes.js";
import { freshDatabaseUrl } from "../testkit/stores.js";
import { shippedKnowledge } from "./helpers.js";

const SECRET = "multi-secret";
const slack = new MockSlack();
const ports: number[] = [];

beforeAll(async () => {
  await slack.start();
  const database = await freshDatabaseUrl();
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    ports.push(port);
    npmStart({
      SLACK_BOT_TOKEN: "xoxb-multi",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATABASE_URL: database,
      FACTBOT_RATE_LIMIT: "3",
      DISCORD_TOKEN: "",
    });
  }
  for (const port of ports)
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 || undefined, 30_000);
}, 60_000);

afterAll(async () => {
  await stopAll();
  await slack.stop();
});

const send = (port: number, body: string, type: string, headers = signedHeaders(SECRET, body)) =>
  fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    body,
    headers: { "content-type": type, ...headers },
  });

describe("two Slack HTTP instances on one PostgreSQL", () => {
  it("answer a retried event once, whichever instance it reaches", async () => {
    const event = JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: "EvMULTI1",
      event_time: 1,
      event: { type: "app_mention", user: "U1", text: "<@UBOT> what does csec stand for", ts: "50.1", channel: "C1" },
    });
    expect((await send(ports[0] as number, event, "application/json")).status).toBe(200);
    // Slack's retry: the same event id, signed again, delivered to the other instance
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send(ports[1] as number, event, "application/json")).status).toBe(200);
    await slack.waitFor(() => slack.callsTo("chat.postMessage")[0], 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answer a replayed request once", async () => {
    slack.calls.length = 0;
    const body = new URLSearchParams({
      command: "/csec",
      text: "what is sectt",
      user_id: "U2",
      team_id: "T1",
      channel_id: "C1",
      response_url: slack.responseUrl("replay"),
      trigger_id: "t",
    }).toString();
    const headers = signedHeaders(SECRET, body);
    const first = await send(ports[0] as number, body, "application/x-www-form-urlencoded", headers);
    expect(await first.text()).toContain("travel and tourism");
    const replay = await send(ports[1] as number, body, "application/x-www-form-urlencoded", headers);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe("");
  });

  it("hold one rate limit between them", async () => {
    const ask = async (port: number, text: string) => {
      const body = new URLSearchParams({
        command: "/csec",
        text,
        user_id: "U3",
        team_id: "T1",
        channel_id: "C1",
        response_url: slack.responseUrl("limit"),
        trigger_id: "t",
      }).toString();
      return (await (await send(port, body, "application/x-www-form-urlencoded")).json()) as { text: string };
    };
    const wait = shippedKnowledge().replies.rate_limited.slice(0, 30);
    expect((await ask(ports[0] as number, "what is csam")).text).not.toContain(wait);
    expect((await ask(ports[1] as number, "what is sectt")).text).not.toContain(wait);
    expect((await ask(ports[0] as number, "what is grooming")).text).not.toContain(wait);
    expect((await ask(ports[1] as number, "what is a procurer")).text).toContain(wait);
    // danger is never withheld, on either instance
    expect((await ask(ports[0] as number, "my 12 year old told me a man pays her for photos")).text).toContain(
      "call your local emergency number",
    );
  });
});

describe("Discord shards spread over two processes", () => {
  it("each process runs its range of shards, identifies as it, and answers what its shard receives", async () => {
    const { FakeDiscord } = await import("../testkit/fake-discord.js");
    const discord = new FakeDiscord();
    await discord.start();
    try {
      const health: number[] = [];
      for (const id of [0, 1]) {
        const port = await freePort();
        health.push(port);
        npmStart({
          DISCORD_TOKEN: "shard-token",
          DISCORD_APPLICATION_ID: "100000000000000001",
          DISCORD_API_URL: discord.apiUrl,
          FACTBOT_SHARD_IDS: String(id),
          FACTBOT_SHARD_COUNT: "2",
          FACTBOT_DB: ":memory:",
          HEALTH_PORT: String(port),
          SLACK_BOT_TOKEN: "",
        });
      }
      await discord.waitFor(() => discord.identifies.length >= 2 || undefined, 30_000);
      const shards = discord.identifies.map((i) => (i as { shard: [number, number] }).shard).sort();
      expect(shards).toEqual([
        [0, 2],
        [1, 2],
      ]);
      for (const port of health)
        await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 || undefined);
      for (const id of [1, 0]) {
        expect(discord.useShard(id)).toBe(true);
        const ref = discord.slash("ask", [{ name: "question", value: "what does csec stand for" }]);
        const callback = await discord.waitFor(() => discord.callback(ref), 10_000);
        expect(JSON.stringify(callback.body)).toContain("Commercial Sexual Exploitation of Children");
      }
    } finally {
      await stopAll();
      await discord.stop();
    }
  }, 60_000);
});
