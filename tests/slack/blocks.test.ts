/** Block Kit rendering, as the pure function it is. */
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, renderHome, renderReply } from "../../adapters/slack/blocks.js";
import { slackConfigFromEnv } from "../../adapters/slack/config.js";
import type { Reply } from "../../src/engine/reply.js";
import { engine } from "../helpers.js";

const bot = engine({ region: "US" });
// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
type B = any;

describe("renderReply", () => {
  it("renders an answer: title and answer, source context, related buttons, feedback, optional share", () => {
    const reply = bot.answer("what is csam");
    const { text, blocks } = renderReply(reply, { share: true });
    expect(text).toContain("Child sexual abuse material");
    expect(blocks[0]?.text.text).toBe(`*${reply.title}*\n${reply.answer}`);
    expect(blocks.find((b: B) => b.type === "context" && b.elements[0].text.startsWith("Source:"))).toBeDefined();
    const buttons = blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements);
    expect(buttons.filter((e: B) => e.action_id === "related_topic").map((e: B) => e.value)).toEqual(
      reply.related.map((r) => r.id),
    );
    expect(buttons.map((e: B) => e.action_id)).toContain("share_answer");
    expect(
      renderReply(reply)
        .blocks.flatMap((b: B) => b.elements ?? [])
        .map((e: B) => e.action_id),
    ).not.toContain("share_answer");
  });

  it("names an older term in a context line when the question used it", () => {
    const { blocks } = renderReply(bot.answer("what is child prostitution"));
    expect(blocks.some((b: B) => b.type === "context" && b.elements[0].text.includes("is an older term"))).toBe(true);
  });

  it("puts the emergency line first, alone and bold, in an urgent reply", () => {
    const { blocks } = renderReply(bot.answer("my 12 year old son told me a man pays him for photos"));
    expect(blocks[0]?.text.text).toBe("*If a child is in immediate danger, call 911 now.*");
    expect(blocks.some((b: B) => b.type === "actions")).toBe(false);
  });

  it("turns suggestions into topic buttons", () => {
    const reply = bot.answer("offenders");
    expect(reply.kind).toBe("suggest");
    const { blocks } = renderReply(reply);
    const values = blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements.map((e: B) => e.value));
    expect(values).toEqual(reply.suggestions.map((s) => s.id));
  });

  it("escapes &, < and > everywhere", () => {
    expect(escapeMrkdwn("<!channel> & <@U1>")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt;");
    const hostile: Reply = {
      ...bot.answer("what is csec"),
      title: "<!channel>",
      answer: "<!here> & <@U1>",
      text: "<!everyone>",
    };
    const json = JSON.stringify(renderReply(hostile));
    for (const raw of ["<!channel>", "<!here>", "<!everyone>", "<@U1>"]) expect(json).not.toContain(raw);
  });

  it("keeps within Block Kit's limits: sections up to 3000 characters, button text up to 75", () => {
    const long: Reply = {
      ...bot.resources("UK"),
      text: Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n"),
    };
    for (const b of renderReply(long).blocks)
      if (b.type === "section") expect(b.text.text.length).toBeLessThanOrEqual(3000);
    const titled: Reply = { ...bot.answer("what is csec"), related: [{ id: "x", title: "t".repeat(200) }] };
    for (const b of renderReply(titled).blocks)
      if (b.type === "actions") for (const e of b.elements) expect(e.text.text.length).toBeLessThanOrEqual(75);
  });

  it("renders the App Home within 100 blocks", () => {
    const view = renderHome({ help: bot.help().text, topics: bot.topics(), resources: bot.resources("AU") });
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain("000");
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
