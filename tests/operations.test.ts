/** Running it: honest health, Prometheus metrics, and the per-member rate limit, on Slack's HTTP mode. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp, type SlackAdapter } from "../adapters/slack/app.js";
import { Health } from "../src/adapter.js";
import { createLogger } from "../src/log.js";
import { Metrics } from "../src/metrics.js";
import { SlidingWindowLimiter } from "../src/rate-limit.js";
import { MockSlack, postSlashCommand } from "../testkit/mock-slack.js";
import { engine, shippedKnowledge } from "./helpers.js";

describe("the rate limit", () => {
  it("allows `limit` questions in any window, then refuses until the oldest leaves it", () => {
    const limiter = new SlidingWindowLimiter(3, 60_000);
    expect([0, 1, 2, 3].map((i) => limiter.take("T1:U1", 1000 + i))).toEqual([true, true, true, false]);
    expect(limiter.take("T1:U2", 1004)).toBe(true);
    // at 61,000 the first question has left the window; at 61,001 the second has too
    expect([61_000, 61_001, 61_001].map((t) => limiter.take("T1:U1", t))).toEqual([true, true, false]);
  });
});

describe("health", () => {
  it("is 503 until every configured adapter connects, again while one reconnects, and names why", () => {
    const metrics = new Metrics({ process: false });
    const health = new Health(metrics);
    health.expect("slack");
    health.expect("discord");
    expect(health.ok).toBe(false);
    health.connected("slack");
    expect(health.reasons()).toEqual(["discord: starting"]);
    health.connected("discord");
    expect(health.ok).toBe(true);
    health.disconnected("discord", "shard 0 reconnecting");
    expect(health.reasons()).toEqual(["discord: shard 0 reconnecting"]);
    health.connected("discord");
    health.fail("slack", "SLACK_BOT_TOKEN rejected by Slack (token_revoked)");
    health.connected("slack");
    expect(health.reasons()).toEqual(["slack: SLACK_BOT_TOKEN rejected by Slack (token_revoked)"]);
  });
});

describe("Slack HTTP mode: /metrics and /healthz on PORT, and the rate limit", () => {
  const SECRET = "ops-secret";
  const slack = new MockSlack();
  const metrics = new Metrics({ process: false });
  const health = new Health(metrics);
  let adapter: SlackAdapter;
  let url = "";
  beforeAll(async () => {
    await slack.start();
    adapter = createSlackApp({
      engine: engine({ region: "US" }),
      config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: slack.apiUrl },
      log: createLogger(() => {}),
      health,
      metrics,
      rateLimit: new SlidingWindowLimiter(2),
    });
    const server = (await adapter.app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    health.connected("slack");
  });
  afterAll(async () => {
    await adapter.app.stop();
    await slack.stop();
  });

  it("answers two questions a minute, then asks the member to wait; an urgent reply is never withheld", async () => {
    const ask = async (text: string) =>
      (await postSlashCommand(slack, `${url}/slack/events`, SECRET, text)).json() as Promise<{ text: string }>;
    expect((await ask("what does csec stand for")).text).toContain("Commercial Sexual Exploitation");
    expect((await ask("what is sectt")).text).toContain("travel and tourism");
    const limited = await ask("what is grooming");
    expect(limited.text).toContain(shippedKnowledge().replies.rate_limited.slice(0, 30));
    expect(limited.text).toContain("911");
    const urgent = await ask("my 13 year old daughter told me a man pays her to send photos");
    expect(urgent.text).toContain("If a child is in immediate danger, call 911 now.");
    expect(urgent.text).not.toContain(shippedKnowledge().replies.rate_limited.slice(0, 30));
  });

  it("serves Prometheus metrics and health beside Slack's endpoint", async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/factbot_replies_total\{adapter="slack",kind="answer",rule=""\} 2/);
    expect(text).toMatch(/factbot_rate_limited_total\{adapter="slack"\} 1/);
    expect(text).toMatch(/factbot_reply_seconds_bucket\{le="0\.005",adapter="slack"\} \d/);
    expect(text).toMatch(/factbot_adapter_up\{adapter="slack"\} 1/);
  });
});
