/**
 * The Discord adapter for real: a discord.js Client logs in to a local fake Discord (gateway over ws,
 * REST over HTTP with rest.api pointed at it) and answers what the fake dispatches.
 */
import type { Client } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { loggedInClient } from "../../testkit/discord-client.js";
import { CHANNEL_ID, DM_CHANNEL_ID, FakeDiscord, GUILD_ID } from "../../testkit/fake-discord.js";
import { engine, shippedKnowledge } from "../helpers.js";

const discord = new FakeDiscord();
const logs: string[] = [];
let client: Client;

beforeAll(async () => {
  await discord.start();
  client = await loggedInClient(discord, { engine: engine({ region: "US" }), log: createLogger((l) => logs.push(l)) });
});

afterAll(async () => {
  await client.destroy();
  await discord.stop();
});

beforeEach(() => {
  discord.calls.length = 0;
  discord.failing.length = 0;
});

// biome-ignore lint/suspicious/noExplicitAny: API JSON
type Json = any;
const callbackOf = (ref: { id: string; token: string }) =>
  discord.waitFor(() => discord.callback(ref)).then((c) => c.body as Json);
const buttonsOf = (data: Json): string[] =>
  (data.components ?? []).flatMap((r: Json) => r.components.map((b: Json) => b.custom_id));

describe("login", () => {
  it("identifies with only the non-privileged intents it needs, and sees the guild", () => {
    const identify = discord.identifies[0] as { intents: number; token: string };
    // Guilds (1) | GuildMessages (512) | DirectMessages (4096); no MessageContent (32768)
    expect(identify.intents).toBe(1 | 512 | 4096);
    expect(client.guilds.cache.has(GUILD_ID)).toBe(true);
  });
});

describe("/csec", () => {
  it("ask: answers ephemerally with an embed, source footer, related, feedback and share buttons", async () => {
    const data = (await callbackOf(discord.slash("ask", [{ name: "question", value: "what does csec stand for" }])))
      .data;
    const cb = discord.calls.at(-1)?.body as Json;
    expect(cb.type).toBe(4);
    expect(data.flags).toBe(64);
    expect(data.allowed_mentions.parse).toEqual([]);
    expect(data.embeds[0].title).toBe("What CSEC stands for and means");
    expect(data.embeds[0].description).toContain("Commercial Sexual Exploitation of Children");
    expect(data.embeds[0].footer.text).toMatch(/^Source: /);
    expect(buttonsOf(data)).toEqual(
      expect.arrayContaining(["related:csec-forms", "helpful:csec-definition", "share:csec-definition"]),
    );
  });

  it("ask: a disclosure gets an ephemeral urgent reply with the emergency line first and no share button", async () => {
    const data = (
      await callbackOf(
        discord.slash("ask", [{ name: "question", value: "im 15 and an older guy keeps offering me money for pics" }]),
      )
    ).data;
    expect(data.flags).toBe(64);
    expect(data.embeds[0].description.split("\n")[0]).toContain("911");
    expect(buttonsOf(data).some((id) => id.startsWith("share"))).toBe(false);
    expect(data.allowed_mentions.parse).toEqual([]);
  });

  it("ask: a request to find children is refused ephemerally", async () => {
    const data = (
      await callbackOf(
        discord.slash("ask", [{ name: "question", value: "where can i find child prostitutes in bangkok" }]),
      )
    ).data;
    expect(data.flags).toBe(64);
    expect(data.embeds[0].description).toContain("I can't help with that.");
    expect(data.embeds[0].description.toLowerCase()).not.toContain("bangkok");
    expect(buttonsOf(data)).toEqual([]);
  });

  it("resources: visible to the channel, for the chosen region", async () => {
    const data = (await callbackOf(discord.slash("resources", [{ name: "region", value: "UK" }]))).data;
    expect(data.flags ?? 0).toBe(0);
    expect(data.embeds[0].description.split("\n")[0]).toContain("999");
    expect(data.allowed_mentions.parse).toEqual([]);
  });

  it("define, topics and help answer ephemerally", async () => {
    const define = (await callbackOf(discord.slash("define", [{ name: "term", value: "SECTT" }]))).data;
    expect(define.flags).toBe(64);
    expect(define.embeds[0].description).toContain("travel and tourism");
    // every topic's title no longer fits one embed (Discord cut the list at 4,096 characters): the
    // groups, each with a button that shows its topics
    const topics = (await callbackOf(discord.slash("topics"))).data;
    expect(topics.flags).toBe(64);
    expect(topics.embeds[0].description.length).toBeLessThanOrEqual(4096);
    expect(topics.embeds[0].description).toMatch(/\*\*Offenders\*\* \(\d+\)/);
    const ids = topics.components.flatMap((row: { components: { custom_id: string }[] }) =>
      row.components.map((c) => c.custom_id),
    );
    expect(ids).toContain("topics:Offenders");
    const offenders = (await callbackOf(discord.button("topics:Offenders"))).data;
    expect(offenders.flags).toBe(64);
    expect(offenders.embeds[0].description).toContain("The preferential offender");
    expect(offenders.embeds[0].description).not.toContain("**Reporting**");
    const forged = (await callbackOf(discord.button("topics:no-such-group"))).data;
    expect(forged.content).toBe(shippedKnowledge().replies.expired);
    const help = (await callbackOf(discord.slash("help"))).data;
    expect(help.embeds[0].description).toContain("I answer factual questions");
  });

  it("autocomplete: suggests up to 25 topics and questions as the user types, and glossary terms", async () => {
    const ask = await callbackOf(discord.slash("ask", [{ name: "question", value: "prefer", focused: true }], 4));
    expect(ask.type).toBe(8);
    expect(ask.data.choices.length).toBeGreaterThan(0);
    expect(ask.data.choices.length).toBeLessThanOrEqual(25);
    expect(ask.data.choices[0].name.toLowerCase()).toContain("preferential");
    const term = await callbackOf(discord.slash("define", [{ name: "term", value: "pedo", focused: true }], 4));
    expect(term.data.choices.map((c: Json) => c.value)).toContain("Preferential offender");
  });
});

describe("buttons", () => {
  it("related: shows that fact privately; share: posts it visibly; feedback: acknowledged and logged as metadata", async () => {
    const related = (await callbackOf(discord.button("related:sectt"))).data;
    expect(related.flags).toBe(64);
    expect(related.embeds[0].title).toContain("SECTT");
    const shared = (await callbackOf(discord.button("share:csec-definition"))).data;
    expect(shared.flags ?? 0).toBe(0);
    expect(buttonsOf(shared).some((id) => id.startsWith("share"))).toBe(false);
    const feedback = (await callbackOf(discord.button("not_helpful:csam"))).data;
    expect(feedback.flags).toBe(64);
    expect(feedback.content).toContain("Thanks");
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.event === "feedback" && l.adapter === "discord");
    expect(line).toMatchObject({ helpful: false, factId: "csam" });
  });

  it("never turns a forged subcommand into a log event name", async () => {
    await callbackOf(discord.slash("bogus<script>", []));
    await discord.waitFor(() => logs.some((l) => l.includes('"kind":"subcommand"')));
    const events = logs.map((l) => JSON.parse(l).event as string);
    expect(events.some((e) => e.includes("bogus"))).toBe(false);
  });

  it("answers an unknown or stale button at once with 'this has expired', and logs only known ids", async () => {
    for (const id of ["related:no-such-fact", "nonsense", "share:"]) {
      const data = (await callbackOf(discord.button(id))).data;
      expect(data.flags, id).toBe(64);
      expect(data.content, id).toBe(shippedKnowledge().replies.expired);
    }
    const forged = "y".repeat(90);
    await callbackOf(discord.button(`helpful:${forged}`));
    expect(logs.some((l) => l.includes(forged))).toBe(false);
    const lines = logs.map((l) => JSON.parse(l)).filter((l) => l.event === "feedback");
    expect(lines.at(-1)).toMatchObject({ factId: "unknown" });
  });
});

describe("context menu", () => {
  it("replies to the message with the region's resources without quoting it, and confirms ephemerally", async () => {
    const target = discord.message(
      CHANNEL_ID,
      {
        id: "400000000000000002",
        username: "someone",
        discriminator: "0",
        global_name: "someone",
        avatar: null,
        bot: false,
      },
      "zqxj a worrying message",
    );
    const ref = discord.contextMenu(target);
    const post = await discord.waitFor(() =>
      discord.calls.find((c) => c.method === "POST" && c.path === `/channels/${CHANNEL_ID}/messages`),
    );
    expect(post.body.message_reference.message_id).toBe(target.id);
    expect(post.body.allowed_mentions.parse).toEqual([]);
    expect(post.body.embeds[0].description).toContain("911");
    expect(JSON.stringify(post.body)).not.toContain("zqxj");
    const confirm = (await callbackOf(ref)).data;
    expect(confirm.flags).toBe(64);
  });
});

describe("mentions and DMs", () => {
  it("replies to a mention without quoting it or pinging anyone", async () => {
    discord.userMessage("<@100000000000000001> what is a preferential offender @everyone", { mentionBot: true });
    const post = await discord.waitFor(() => discord.calls.find((c) => c.path === `/channels/${CHANNEL_ID}/messages`));
    expect(post.body.message_reference).toBeDefined();
    expect(post.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(post.body.embeds[0].description).toContain("definite sexual preference");
    expect(JSON.stringify(post.body)).not.toContain("@everyone");
  });

  it("ignores channel messages that do not mention the bot", async () => {
    discord.userMessage("what is csec");
    await new Promise((r) => setTimeout(r, 300));
    expect(discord.calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual([]);
  });

  it("replies to a direct message in the DM", async () => {
    discord.userMessage("helpline in the uk", { dm: true });
    const post = await discord.waitFor(() =>
      discord.calls.find((c) => c.path === `/channels/${DM_CHANNEL_ID}/messages`),
    );
    expect(post.body.embeds[0].description).toContain("999");
  });

  it("logs a REST error and goes on answering", async () => {
    discord.failing.push(/\/channels\/\d+\/messages/);
    discord.userMessage("<@100000000000000001> what is csec", { mentionBot: true });
    await discord.waitFor(
      () => logs.some((l) => l.includes('"event":"mention"') && l.includes('"level":"error"')),
      15_000,
    );
    discord.failing.length = 0;
    const data = (await callbackOf(discord.slash("ask", [{ name: "question", value: "what is csam" }]))).data;
    expect(data.embeds[0].title).toContain("CSAM");
  });
});

describe("gateway", () => {
  it("resumes after the connection drops, and still answers", async () => {
    discord.dropConnection();
    await discord.waitFor(() => discord.resumes.length > 0, 15_000);
    expect(discord.resumes[0]).toMatchObject({ session_id: "session-1", token: "fake-token" });
    const data = (await callbackOf(discord.slash("ask", [{ name: "question", value: "who are the offenders" }]))).data;
    expect(data.embeds[0].description.length).toBeGreaterThan(0);
  });
});

describe("logs", () => {
  it("record every handled interaction without an error", () => {
    const errors = logs.map((l) => JSON.parse(l)).filter((l) => l.level === "error" && l.event !== "mention");
    expect(errors).toEqual([]);
  });

  it("never contain message text or the token", () => {
    const all = logs.join("\n");
    for (const secret of ["zqxj", "fake-token", "preferential offender @everyone", "bangkok"])
      expect(all).not.toContain(secret);
  });
});
