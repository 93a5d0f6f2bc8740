/**
 * The Slack adapter for real: a Bolt App in HTTP mode receiving signed requests, its Web API calls and
 * response_url posts caught by a local mock Slack.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackApp, type SlackAdapter } from "../../adapters/slack/app.js";
import { Health } from "../../src/adapter.js";
import { createLogger } from "../../src/log.js";
import { MockSlack, postSlashCommand, signedHeaders } from "../../testkit/mock-slack.js";
import { engine, shippedKnowledge } from "../helpers.js";

const SECRET = "test-signing-secret";
const slack = new MockSlack();
const logs: string[] = [];
let adapter: SlackAdapter;
let base = "";

beforeAll(async () => {
  await slack.start();
  adapter = createSlackApp({
    engine: engine({ region: "US" }),
    config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: slack.apiUrl },
    log: createLogger((l) => logs.push(l)),
  });
  const server = (await adapter.app.start(0)) as Server;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await adapter.app.stop();
  await slack.stop();
});

beforeEach(() => {
  slack.calls.length = 0;
  slack.responses.length = 0;
  slack.failing.clear();
  slack.failResponseUrls = false;
});

async function post(body: string, contentType: string, headers: Record<string, string> = signedHeaders(SECRET, body)) {
  const res = await fetch(`${base}/slack/events`, {
    method: "POST",
    body,
    headers: { "content-type": contentType, ...headers },
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

async function slash(text: string) {
  const res = await postSlashCommand(slack, `${base}/slack/events`, SECRET, text);
  const body = await res.text();
  return { status: res.status, text: body, json: () => JSON.parse(body) };
}

function event(
  ev: Record<string, unknown>,
  id = `Ev${Math.random().toString(36).slice(2)}`,
  headers?: Record<string, string>,
) {
  const body = JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    api_app_id: "A1",
    event_id: id,
    event_time: 1,
    event: ev,
  });
  return post(body, "application/json", headers ?? signedHeaders(SECRET, body));
}

function interactive(payload: Record<string, unknown>) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(body, "application/x-www-form-urlencoded");
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
const flat = (blocks: any[]): string => JSON.stringify(blocks);
// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
const actionIds = (blocks: any[]): string[] =>
  blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements.map((e: { action_id: string }) => e.action_id));

describe("HTTP mode", () => {
  it("answers url_verification", async () => {
    const body = JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" });
    const res = await post(body, "application/json");
    expect(res.status).toBe(200);
    expect(res.text).toContain("abc123");
  });

  it("serves /healthz", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  });

  it("rejects a bad signature and a 10-minute-old timestamp with 401", async () => {
    const form = "command=%2Fcsec&text=hi";
    expect((await post(form, "application/x-www-form-urlencoded", signedHeaders("wrong-secret", form))).status).toBe(
      401,
    );
    const old = Math.floor(Date.now() / 1000) - 600;
    expect((await post(form, "application/x-www-form-urlencoded", signedHeaders(SECRET, form, old))).status).toBe(401);
  });
});

describe("/csec", () => {
  it("answers ephemerally in the ack, with source, related topics, feedback and a share button", async () => {
    const res = await slash("what does csec stand for");
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.response_type).toBe("ephemeral");
    expect(flat(body.blocks)).toContain("Commercial Sexual Exploitation of Children");
    expect(body.blocks[0].text.text.startsWith("*What CSEC stands for and means*")).toBe(true);
    expect(
      body.blocks.some(
        (b: { type: string; elements?: { text: string }[] }) =>
          b.type === "context" && b.elements?.[0]?.text.startsWith("Source:"),
      ),
    ).toBe(true);
    expect(actionIds(body.blocks)).toEqual(
      expect.arrayContaining(["related_topic", "feedback_helpful", "feedback_not_helpful", "share_answer"]),
    );
  });

  it("answers a disclosure with the urgent referral, ephemerally, emergency line first, no share button", async () => {
    const body = (await slash("my 14 year old niece told me a man pays her for sex")).json();
    expect(body.response_type).toBe("ephemeral");
    expect(body.blocks[0].text.text).toContain("911");
    expect(actionIds(body.blocks)).not.toContain("share_answer");
    expect(flat(body.blocks)).toContain("You did the right thing");
  });

  it("refuses facilitation ephemerally and without a share button", async () => {
    const body = (await slash("where can i find child prostitutes in bangkok")).json();
    expect(body.response_type).toBe("ephemeral");
    expect(flat(body.blocks)).toContain("I can't help with that.");
    expect(flat(body.blocks)).not.toContain("bangkok");
    expect(actionIds(body.blocks)).not.toContain("share_answer");
  });

  it("posts resources visibly for the channel, for a region code or name", async () => {
    const uk = (await slash("resources uk")).json();
    expect(uk.response_type).toBe("in_channel");
    expect(uk.blocks[0].text.text).toContain("999");
    const au = (await slash("resources australia")).json();
    expect(au.response_type).toBe("in_channel");
    expect(au.blocks[0].text.text).toContain("000");
  });

  it("lists topics, defines terms and shows help, ephemerally", async () => {
    const topics = (await slash("topics")).json();
    expect(topics.response_type).toBe("ephemeral");
    expect(actionIds(topics.blocks)).toContain("related_topic");
    const define = (await slash("define csam")).json();
    expect(flat(define.blocks)).toContain("Child sexual abuse material (CSAM)");
    const help = (await slash("help")).json();
    expect(flat(help.blocks)).toContain("I answer factual questions");
  });

  it("escapes mrkdwn so no reply can ping a channel or a user", async () => {
    const body = (await slash("<!channel> @everyone <@U999> what is csam &lt; <!here>")).json();
    const text = flat(body.blocks);
    for (const ping of ["<!channel>", "<!here>", "<!everyone>", "<@U999>", "@everyone"])
      expect(text).not.toContain(ping);
  });
});

describe("a slow or rate-limited Slack at start", () => {
  async function freshApp(prepare: (mock: MockSlack) => void) {
    const mock = new MockSlack();
    prepare(mock);
    await mock.start();
    const fresh = createSlackApp({
      engine: engine({ region: "US" }),
      config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: mock.apiUrl },
      log: createLogger(() => {}),
    });
    const server = (await fresh.app.start(0)) as Server;
    return { mock, fresh, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
  }

  for (const [name, prepare] of [
    ["auth.test hangs", (m: MockSlack) => m.delays.set("auth.test", 8000)],
    ["auth.test answers 429 with Retry-After: 30", (m: MockSlack) => m.rateLimited.set("auth.test", 30)],
  ] as const) {
    it(`acks slash commands well inside 3 s when ${name}`, async () => {
      const { mock, fresh, url } = await freshApp(prepare);
      try {
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          const res = await postSlashCommand(mock, url, SECRET, "what does csec stand for");
          expect(res.status).toBe(200);
          expect(performance.now() - started).toBeLessThan(1000);
        }
        // one auth.test at a time, however many requests arrived
        expect(mock.calls.filter((c) => c.method === "auth.test").length).toBe(1);
      } finally {
        await fresh.app.stop();
        await mock.stop();
      }
    }, 20_000);
  }
});

describe("a revoked bot token", () => {
  it("turns /healthz to 503, naming the variable, while slash commands are still acknowledged", async () => {
    const mock = new MockSlack();
    mock.failing.set("auth.test", "token_revoked");
    await mock.start();
    const health = new Health();
    const fresh = createSlackApp({
      engine: engine({ region: "US" }),
      config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: mock.apiUrl },
      log: createLogger(() => {}),
      health,
    });
    const server = (await fresh.app.start(0)) as Server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      let body: unknown;
      for (let i = 0; i < 50 && body === undefined; i++) {
        const r = await fetch(`${url}/healthz`);
        if (r.status === 503) body = await r.json();
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(body).toEqual({ ok: false, failing: ["slack: SLACK_BOT_TOKEN rejected by Slack (token_revoked)"] });
      expect((await postSlashCommand(mock, `${url}/slack/events`, SECRET, "what is csec")).status).toBe(200);
    } finally {
      await fresh.app.stop();
      await mock.stop();
    }
  });
});

describe("mentions and direct messages", () => {
  it("replies to a mention in its thread", async () => {
    await event({
      type: "app_mention",
      user: "U1",
      text: "<@UBOT> what is a preferential offender",
      ts: "111.222",
      channel: "C1",
    });
    const call = await slack.waitFor(() => slack.callsTo("chat.postMessage")[0]);
    expect(call.body.channel).toBe("C1");
    expect(call.body.thread_ts).toBe("111.222");
    expect(flat(call.body.blocks)).toContain("definite sexual preference for children");
  });

  it("answers a disclosure made by mention privately, in the thread", async () => {
    await event({
      type: "app_mention",
      user: "U1",
      text: "<@UBOT> im 15 and a man keeps offering me money for pics",
      ts: "1.2",
      channel: "C1",
    });
    const call = await slack.waitFor(() => slack.callsTo("chat.postEphemeral")[0]);
    expect(call.body.user).toBe("U1");
    expect(call.body.thread_ts).toBe("1.2");
    expect(flat(call.body.blocks)).toContain("911");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("replies to a direct message in the DM, and ignores bot messages", async () => {
    await event({
      type: "message",
      channel_type: "im",
      channel: "D1",
      user: "U1",
      text: "who are the offenders?",
      ts: "5.6",
    });
    await event({ type: "message", channel_type: "im", channel: "D1", bot_id: "B2", text: "echo", ts: "5.7" });
    const call = await slack.waitFor(() => slack.callsTo("chat.postMessage")[0]);
    expect(call.body.channel).toBe("D1");
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a retried event only once", async () => {
    const ev = { type: "app_mention", user: "U1", text: "<@UBOT> what is csec", ts: "9.9", channel: "C1" };
    await event(ev, "EvSAME");
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: "EvSAME",
      event_time: 1,
      event: ev,
    });
    await post(body, "application/json", {
      ...signedHeaders(SECRET, body),
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    await slack.waitFor(() => slack.callsTo("chat.postMessage")[0]);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("logs a Web API error and goes on answering", async () => {
    slack.failing.set("chat.postMessage", "channel_not_found");
    await event({ type: "app_mention", user: "U1", text: "<@UBOT> what is csec", ts: "3.3", channel: "CGONE" });
    await slack.waitFor(() => logs.some((l) => l.includes('"event":"mention"') && l.includes('"level":"error"')));
    slack.failing.clear();
    await event({ type: "app_mention", user: "U1", text: "<@UBOT> what is csam", ts: "3.4", channel: "C1" });
    await slack.waitFor(() => slack.callsTo("chat.postMessage").find((c) => c.body.channel === "C1"));
  });
});

describe("buttons, shortcut and App Home", () => {
  const user = { id: "U1", username: "vol", team_id: "T1" };
  const container = { type: "message", message_ts: "1.1", channel_id: "C1", is_ephemeral: true };
  /** A click on a button: its action id and value, answered through the response_url named `respondTo`. */
  const press = (actionId: string, value: string, respondTo: string) =>
    interactive({
      type: "block_actions",
      user,
      team: { id: "T1" },
      container,
      response_url: slack.responseUrl(respondTo),
      trigger_id: "t",
      actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
    });

  it("shares an answer in the channel through response_url", async () => {
    await interactive({
      type: "block_actions",
      user,
      team: { id: "T1" },
      container,
      channel: { id: "C1" },
      response_url: slack.responseUrl("share"),
      trigger_id: "t",
      actions: [{ type: "button", action_id: "share_answer", block_id: "b", value: "csec-definition", action_ts: "1" }],
    });
    const sent = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/share"));
    expect(sent.body.response_type).toBe("in_channel");
    expect(flat(sent.body.blocks)).toContain("Commercial Sexual Exploitation of Children");
    expect(actionIds(sent.body.blocks)).not.toContain("share_answer");
  });

  it("answers an unknown or stale id at once with 'this has expired', and logs only known ids", async () => {
    const started = performance.now();
    const res = await press("no_such_action", "x", "unknown");
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const sent = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/unknown"));
    expect(sent.body.text).toBe(shippedKnowledge().replies.expired);
    // a related topic since removed: the same
    await press("related_topic", "no-such-fact", "stale");
    const stale = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/stale"));
    expect(stale.body.text).toBe(shippedKnowledge().replies.expired);
    // feedback with a forged value: the value is never written to the log
    const forged = "x".repeat(1650);
    await press("feedback_helpful", forged, "fb");
    await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/fb"));
    expect(logs.some((l) => l.includes(forged))).toBe(false);
    expect(logs.map((l) => JSON.parse(l)).find((l) => l.event === "feedback")).toMatchObject({ factId: "unknown" });
  });

  it("ignores a byte-identical replay of a signed request", async () => {
    const body = new URLSearchParams({
      command: "/csec",
      text: "resources",
      user_id: "U1",
      team_id: "T1",
      channel_id: "C1",
      response_url: slack.responseUrl("replay"),
      trigger_id: "t-replay",
    }).toString();
    const headers = signedHeaders(SECRET, body);
    const first = await post(body, "application/x-www-form-urlencoded", headers);
    const again = await post(body, "application/x-www-form-urlencoded", headers);
    expect(first.status).toBe(200);
    expect(first.text).toContain("Where to get help");
    expect(again.status).toBe(200);
    expect(again.text).toBe("");
    expect(logs.some((l) => l.includes('"event":"replay_ignored"'))).toBe(true);
  });

  it("shows a related topic privately", async () => {
    await press("related_topic", "sectt", "related");
    const sent = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/related"));
    expect(sent.body.response_type).toBe("ephemeral");
    expect(flat(sent.body.blocks)).toContain("travel and tourism");
  });

  it("acknowledges feedback and counts it in logs as metadata only", async () => {
    await press("feedback_helpful", "csam", "feedback");
    const sent = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/feedback"));
    expect(sent.body.text).toContain("Thanks");
    const line = logs.map((l) => JSON.parse(l)).findLast((l) => l.event === "feedback");
    expect(line).toMatchObject({ helpful: true, factId: "csam", adapter: "slack" });
    expect(line.user).toMatch(/^[0-9a-f]{12}$/);
  });

  it("logs a failed response_url post and goes on", async () => {
    slack.failResponseUrls = true;
    await press("related_topic", "csam", "broken");
    await slack.waitFor(() => logs.some((l) => l.includes('"event":"related"') && l.includes('"level":"error"')));
    slack.failResponseUrls = false;
    expect((await slash("what is csec")).status).toBe(200);
  });

  it("posts support resources under a message without quoting it, and confirms to the moderator", async () => {
    const worrying = "zqxv worrying message text that must never be repeated";
    await interactive({
      type: "message_action",
      callback_id: "send_support_resources",
      user,
      team: { id: "T1" },
      channel: { id: "C1", name: "general" },
      message: { type: "message", user: "U2", ts: "42.0", text: worrying },
      response_url: slack.responseUrl("shortcut"),
      trigger_id: "t",
      message_ts: "42.0",
    });
    const posted = await slack.waitFor(() => slack.callsTo("chat.postMessage")[0]);
    expect(posted.body.channel).toBe("C1");
    expect(posted.body.thread_ts).toBe("42.0");
    expect(flat(posted.body.blocks)).toContain("911");
    expect(JSON.stringify(posted.body)).not.toContain("zqxv");
    const confirm = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/shortcut"));
    expect(confirm.body.response_type).toBe("ephemeral");
  });

  it("publishes the App Home with how to ask, the topics and the region's resources", async () => {
    await event({ type: "app_home_opened", user: "U1", channel: "D1", tab: "home", event_ts: "1" });
    const call = await slack.waitFor(() => slack.callsTo("views.publish")[0]);
    expect(call.body.user_id).toBe("U1");
    const view = typeof call.body.view === "string" ? JSON.parse(call.body.view) : call.body.view;
    expect(view.type).toBe("home");
    const text = flat(view.blocks);
    expect(text).toContain("How to ask");
    expect(text).toContain("The preferential offender");
    expect(text).toContain("911");
  });
});

describe("logs", () => {
  it("never contain message text or tokens", async () => {
    await slash("zqxw unique question words about csec");
    await event({ type: "app_mention", user: "U1", text: "<@UBOT> zqxw mention words", ts: "7.7", channel: "C1" });
    await slack.waitFor(() => slack.callsTo("chat.postMessage")[0]);
    const all = logs.join("\n");
    expect(all).not.toContain("zqxw");
    expect(all).not.toContain("xoxb-test");
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("worrying message");
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.event === "slash_command");
    expect(Object.keys(line).sort()).toEqual(
      ["adapter", "event", "factId", "kind", "latencyMs", "level", "rule", "team", "ts", "user"].sort(),
    );
  });
});

describe("request log latency", () => {
  it("measures from the request's arrival: an engine that takes 40 ms logs at least 40 ms", async () => {
    const slow = engine({ region: "US" });
    const answer = slow.answer.bind(slow);
    slow.answer = (question, options) => {
      const until = performance.now() + 40;
      while (performance.now() < until) {
        // a slow engine, so a timer started after the answer (the old bug) logs about zero
      }
      return answer(question, options);
    };
    const lines: string[] = [];
    const timed = createSlackApp({
      engine: slow,
      config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: slack.apiUrl },
      log: createLogger((l) => lines.push(l)),
    });
    const server = (await timed.app.start(0)) as Server;
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      expect((await postSlashCommand(slack, url, SECRET, "what is csec")).status).toBe(200);
      const line = await slack.waitFor(() => lines.map((l) => JSON.parse(l)).find((l) => l.event === "slash_command"));
      expect(line.latencyMs).toBeGreaterThanOrEqual(40);
    } finally {
      await timed.app.stop();
    }
  });
});
