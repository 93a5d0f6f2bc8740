/** Block Kit rendering, as the pure function it is. */
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, renderHome, renderReply } from "../../adapters/slack/blocks.js";
import { slackConfigFromEnv } from "../../adapters/slack/config.js";
import type { Reply } from "../../src/engine/reply.js";
import { engine } from "../helpers.js";

const bot = engine({ region: "US" });
const copy = bot.knowledge.replies;
// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
type B = any;

describe("renderReply", () => {
  it("renders an answer: title and answer, source context, related buttons, feedback, optional share", () => {
    const reply = bot.answer("what is csam");
    const { text, blocks } = renderReply(reply, copy, { share: true });
    expect(text).toContain("Child sexual abuse material");
    expect(blocks[0]?.text.text).toBe(`*${reply.title}*\n${reply.answer}`);
    expect(blocks.find((b: B) => b.type === "context" && b.elements[0].text.startsWith("Source:"))).toBeDefined();
    const buttons = blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements);
    expect(buttons.filter((e: B) => e.action_id === "related_topic").map((e: B) => e.value)).toEqual(
      reply.related.map((r) => r.id),
    );
    expect(buttons.map((e: B) => e.action_id)).toContain("share_answer");
    expect(
      renderReply(reply, copy)
        .blocks.flatMap((b: B) => b.elements ?? [])
        .map((e: B) => e.action_id),
    ).not.toContain("share_answer");
  });

  it("names an older term in a context line when the question used it", () => {
    const { blocks } = renderReply(bot.answer("what is child prostitution"), copy);
    expect(blocks.some((b: B) => b.type === "context" && b.elements[0].text.includes("is an older term"))).toBe(true);
  });

  it("puts the emergency line first, alone and bold, in an urgent reply", () => {
    const { blocks } = renderReply(bot.answer("my 12 year old son told me a man pays him for photos"), copy);
    expect(blocks[0]?.text.text).toBe("*If a child is in immediate danger, call 911 now.*");
    expect(blocks.some((b: B) => b.type === "actions")).toBe(false);
  });

  it("turns suggestions into topic buttons", () => {
    const reply = bot.answer("offenders");
    expect(reply.kind).toBe("suggest");
    const { blocks } = renderReply(reply, copy);
    const values = blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements.map((e: B) => e.value));
    expect(values).toEqual(reply.suggestions.map((s) => s.id));
  });

  it("escapes &, < and > everywhere", () => {
    expect(escapeMrkdwn("<!channel> & <@U1>")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt;");
    const hostile: Reply = {
      ...bot.answer("what is csec"),
      title: "<!channel>",
      answer: "<!here> & <@U1>",
      notes: ["<!everyone>"],
      related: [{ id: "x", title: "<@U2>" }],
    };
    const json = JSON.stringify(renderReply(hostile, copy));
    for (const raw of ["<!channel>", "<!here>", "<!everyone>", "<@U1>"]) expect(json).not.toContain(raw);
    // buttons are plain_text, which Slack never reads as a mention; the notification text is mrkdwn
    expect(renderReply(hostile, copy).text).not.toContain("<@U2>");
  });

  it("keeps within Block Kit's limits: sections up to 3000 characters, button text up to 75", () => {
    const service = bot.resources("UK").resources[1];
    if (!service) throw new Error("the UK has services");
    const long: Reply = {
      ...bot.resources("UK"),
      referrals: [
        {
          region: "UK",
          emergency: null,
          heading: null,
          services: Array.from({ length: 200 }, (_, i) => ({ ...service, name: `line ${i} ${"x".repeat(40)}` })),
          purpose: true,
        },
      ],
    };
    const sections = renderReply(long, copy).blocks.filter((b: B) => b.type === "section");
    expect(sections.length).toBeGreaterThan(1);
    for (const b of sections) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    // split between lines, so no service is cut
    expect(sections.map((b: B) => b.text.text).join("\n")).toContain("line 199");
    const titled: Reply = { ...bot.answer("what is csec"), related: [{ id: "x", title: "t".repeat(200) }] };
    for (const b of renderReply(titled, copy).blocks)
      if (b.type === "actions") for (const e of b.elements) expect(e.text.text.length).toBeLessThanOrEqual(75);
  });

  it("renders from the fields, never from the reply's text", () => {
    for (const reply of [bot.answer("what is csam"), bot.answer("my 12 year old told me a man pays her"), bot.help()]) {
      const json = JSON.stringify(renderReply({ ...reply, text: "SENTINEL-TEXT" }, copy).blocks);
      expect(json).not.toContain("SENTINEL-TEXT");
    }
  });

  it("gives every topic of the shipped base a button in the topics reply, within 50 blocks", () => {
    const reply = bot.topicsReply();
    const { blocks } = renderReply(reply, copy);
    const values = blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements.map((e: B) => e.value));
    expect(values.sort()).toEqual(
      bot
        .allFacts()
        .map((f) => f.id)
        .sort(),
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it("renders the App Home within 100 blocks", () => {
    const resources = bot.resources("AU");
    const view = renderHome({ help: bot.help(), topics: bot.topics(), resources }, copy);
    expect(view.type).toBe("home");
    // the renderer does not cut: the shipped base itself must fit Slack's 100 blocks
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain("call 000 now");
    for (const s of resources.resources.filter((r) => r.kind !== "emergency")) expect(json).toContain(s.name);
  });
});

describe("Slack configuration", () => {
  it("chooses Socket Mode with an app token and HTTP mode otherwise", () => {
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).mode).toBe("socket");
    const http = slackConfigFromEnv({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      PORT: "3100",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
    });
    expect(http).toMatchObject({ mode: "http", port: 3100, apiUrl: "http://127.0.0.1:9999/api/" });
  });

  it("stops with one line naming the variable, never its value", () => {
    expect(() => slackConfigFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(
      /^configuration error: SLACK_SIGNING_SECRET: is required in HTTP mode/,
    );
    try {
      slackConfigFromEnv({ SLACK_BOT_TOKEN: "secret-token-value", SLACK_SIGNING_SECRET: "s" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe(
        "configuration error: SLACK_BOT_TOKEN: must be a bot token starting with xoxb-",
      );
      expect((err as Error).message).not.toContain("secret-token-value");
    }
    expect(() => slackConfigFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", PORT: "http" })).toThrow(
      /PORT: must be a port number/,
    );
  });
});
